import ArgumentParser
import Foundation
import TranscriptKit

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write cram .t files and scrut documents as Markdown transcripts that pass where they pass.",
        discussion: """
        Each FILE.t is written as FILE.md beside it (or to standard output with --stdout): prose stays prose, \
        sessions become ```console blocks, and each expected line the Markdown line that matches the same \
        output. The file option comment keeps what cram gives a test: exact comparison, its environment \
        and shell, and exit 80 as a skip. A line no Markdown line can mean the same as is an error.

        A scrut document (FILE.md with ```scrut blocks) is converted in place, which needs --force (or \
        --stdout), and FILE.scrut is written as FILE.md: its blocks become ```console blocks, its front \
        matter and each block's configuration option comments.

        Exit status: 0 converted, 2 bad input (nothing is written for a file with an error).
        """
    )

    @Argument(help: "The .t files and scrut documents.")
    var files: [String]

    @Flag(help: "Print the Markdown instead of writing FILE.md.")
    var stdout = false

    @Flag(help: "Overwrite an existing FILE.md.")
    var force = false

    @Option(help: ArgumentHelp("Spaces that set the session lines off (default 2).", valueName: "n"))
    var cramIndent: Int?

    @Flag(help: "Convert for prysk's environment.")
    var prysk = false

    func run() throws {
        let settings = CramSettings(indent: cramIndent, environment: prysk ? .prysk : nil)
        var failed = false
        for path in files {
            do {
                let source = try SourceFile.read(path: path)
                let scrut = path.hasSuffix(".md") || path.hasSuffix(".scrut")
                let markdown = scrut ? try ScrutConverter.convert(source) : try CramConverter.convert(source, settings: settings)
                if stdout {
                    FileHandle.standardOutput.write(Data(markdown.utf8))
                    continue
                }
                let target = Self.target(for: path)
                if FileManager.default.fileExists(atPath: target), !force {
                    let why = target == path ? "would be converted in place; not overwritten (--force converts it, --stdout prints it)"
                        : "exists; not overwritten (--force overwrites it)"
                    FileHandle.standardError.write(Data("\(target): \(why)\n".utf8))
                    failed = true
                    continue
                }
                try markdown.write(toFile: target, atomically: true, encoding: .utf8)
                print("converted \(path) to \(target)")
            } catch let error as Diagnostic {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                failed = true
            } catch let error as Diagnostics {
                for item in error.items { FileHandle.standardError.write(Data((item.description + "\n").utf8)) }
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
    }

    /// Where the Markdown for `path` goes: a `.md` file in place, `X.t` and `X.scrut` as `X.md`,
    /// any other file with `.md` added.
    static func target(for path: String) -> String {
        if path.hasSuffix(".md") { return path }
        for suffix in [".t", ".scrut"] where path.hasSuffix(suffix) { return String(path.dropLast(suffix.count)) + ".md" }
        return path + ".md"
    }
}
