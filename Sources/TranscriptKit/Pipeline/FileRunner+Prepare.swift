import Foundation
import Glibc

/// Preparing a file: reading, parsing, laying a sidecar over it and compiling it, with every
/// input problem found together.
extension FileRunner {
    /// Reads, parses and compiles a file; every input problem is returned as diagnostics.
    package func prepare(path: String) -> Result<FilePlan, Diagnostics> {
        let source: SourceFile
        do {
            source = try SourceFile.read(path: path)
        } catch {
            return .failure(Diagnostics([error]))
        }
        return prepare(source: source)
    }

    /// Parses and compiles a transcript already read (`record` uses it too).
    package func prepare(source: SourceFile) -> Result<FilePlan, Diagnostics> {
        var transcript: Transcript
        let configuration: Configuration
        let library: PatternLibrary
        do {
            let directory = (source.absolutePath as NSString).deletingLastPathComponent
            // The sidecar's configuration, not one beside the page.
            if let sidecar = settings.sidecar {
                configuration = sidecar.configuration
            } else {
                configuration = try configurations.configuration(forDirectory: directory)
            }
            transcript = try DocumentFormats.parse(source, cram: settings.cram.merged(over: configuration.cram))
            // The sidecar's overlay before compiling.
            if let sidecar = settings.sidecar { transcript = try sidecar.overlay(transcript) }
            library = try configurations.patternLibrary(for: configuration)
        } catch {
            return .failure(withLaterErrors(error))
        }
        if settings.strict, let illustrations = Self.illustrationErrors(transcript) { return .failure(illustrations) }
        return FilePlan.compile(transcript, configuration: configuration, library: library, timeoutFlag: settings.timeout)
    }

    /// A document's structural errors, with the errors its intact blocks have besides (their
    /// patterns, names, options), so that one run shows all that can be told apart. Errors about
    /// variables no earlier line captures are left out: the capture may be in a broken block.
    func withLaterErrors(_ errors: Diagnostics) -> Diagnostics {
        guard let partial = errors.partial, !partial.blocks.isEmpty, settings.sidecar == nil else { return errors }
        let directory = (partial.source.absolutePath as NSString).deletingLastPathComponent
        guard let configuration = try? configurations.configuration(forDirectory: directory),
              let library = try? configurations.patternLibrary(for: configuration),
              case .failure(let more) = FilePlan.compile(partial, configuration: configuration, library: library,
                                                         timeoutFlag: settings.timeout) else { return errors }
        let independent = more.items.filter { !$0.message.contains("is not captured before this line") }
        let all = (errors.items + independent).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return Diagnostics(all)
    }

    /// Under `--strict`, a session block without any command is an error rather than a skip.
    static func illustrationErrors(_ transcript: Transcript) -> Diagnostics? {
        let errors = transcript.blocks.compactMap { block -> Diagnostic? in
            guard let first = block.illustration else { return nil }
            return Diagnostic(file: transcript.source.path, line: first.line, column: first.column,
                              message: "a session block without any command (--strict)",
                              help: "start the block with a `$ ` command, or mark it as another language (```text) if it only shows output")
        }
        return errors.isEmpty ? nil : Diagnostics(errors)
    }
}
