import Foundation
import PCRE2

/// `transcript record`: runs commands as a transcript would (after the document's own blocks,
/// in the same shell, environment and temporary directory), and appends a session block with
/// their output, generalized, to the document.
package struct Recorder {
    package let settings: RunSettings
    package let engines: EngineSet

    /// The engines made here (not given), whose fixture archives go when the recording ends.
    private let ownEngines: EngineSet?

    package init(settings: RunSettings, engines: EngineSet? = nil) {
        self.settings = settings
        if let engines {
            self.engines = engines
            ownEngines = nil
        } else {
            let own = EngineSet(mode: settings.engine, environment: settings.environment)
            self.engines = own
            ownEngines = own
        }
    }

    /// Records `commands` into the document at `path` (created if missing); returns the exit status.
    package func record(path: String, commands: [String]) -> Int32 {
        // The fixture archives built for this run go with it.
        defer { ownEngines?.finish() }
        let out = OutputStream.standardOutput
        let err = OutputStream.standardError
        guard !commands.isEmpty else {
            err.write("transcript: no commands to record; give them after -- or one per line on standard input\n")
            return 2
        }
        let absolutePath = URL(fileURLWithPath: absolute(path)).standardizedFileURL.path
        var original = ""
        var mode: mode_t?
        if FileManager.default.fileExists(atPath: absolutePath) {
            do {
                original = try SourceFile.read(path: path).text
            } catch {
                err.write(error.description + "\n")
                return 2
            }
            mode = UpdateSession.fileMode(absolutePath)
        }
        let ending = original.contains("\r\n") ? "\r\n" : "\n"
        let format = DocumentFormats.format(for: path, text: original)
        let used = Self.enginesUsed(by: commands)
        let resolver = ConfigurationResolver()
        let runner = FileRunner(settings: settings, configurations: resolver, engines: engines, observer: nil)

        // Run the commands as the last block of the document, with no expected output.
        var options: [String] = used.isEmpty ? [] : ["requires=" + used.joined(separator: ",")]
        let running = Self.block(commands.flatMap(Generalizer.commandLines), options: options, ending: ending, in: format)
        let prepared: FilePlan
        switch runner.prepare(source: SourceFile(path: path, absolutePath: absolutePath, text: Self.appending(running, to: original, ending: ending))) {
        case .failure(let diagnostics):
            for item in diagnostics.items { err.write(item.description + "\n") }
            return 2
        case .success(let value):
            prepared = value
        }
        let outcome = runner.execute(prepared, path: path)
        guard let block = outcome.blocks.last, block.index == prepared.transcript.blocks.count - 1 else {
            err.write("transcript: \(path): nothing recorded: " + (outcome.errors.first ?? skipReason(outcome)) + "\n")
            return 1
        }
        if case .skipped(let reason) = block.status {
            err.write("transcript: \(path): nothing recorded: \(reason)\n")
            return 1
        }
        for message in outcome.errors { err.write("transcript: \(path): \(message)\n") }
        var recorded: [RecordedCommand] = []
        for (index, command) in block.commands.enumerated() {
            guard let result = command.result else {
                err.write("transcript: \(path): the shell ended before `\(commands[index])`; the commands from there on are not recorded\n")
                break
            }
            if result.timedOut { err.write("transcript: \(path): `\(commands[index])` timed out; its output is recorded as far as it got\n") }
            recorded.append(RecordedCommand(text: commands[index], output: result.output, exitStatus: result.exitStatus))
        }

        let library = prepared.library
        let taken = Set(prepared.matchers.flatMap { $0.flatMap(\.capturedVariables) })
        let result = Generalizer(library: library, takenNames: taken, lineRules: format.newBlockLineRules).generalize(recorded)
        if result.needsWhitespaceTolerance { options.append("ws") }
        let text = Self.appending(Self.block(result.lines, options: options, ending: ending, in: format), to: original, ending: ending)
        do {
            try AtomicFile.write(text, to: absolutePath, mode: mode)
        } catch {
            err.write("transcript: cannot write \(path): \(error)\n")
            return 1
        }
        out.write("recorded \(recorded.count) command\(recorded.count == 1 ? "" : "s") into \(path)\n")

        // The block must pass when run again.
        let again = runner.run(path: path)
        guard let last = again.blocks.last else { return again.status == .invalid ? 2 : 0 }
        switch last.status {
        case .failed, .notRun:
            for command in last.commands where command.status != .passed {
                err.write("\(path):\(command.line): the recorded output does not match when run again (does it vary from run to run?): $ \(command.text.split(separator: "\n").first ?? "")\n")
            }
            return 1
        default:
            return again.status == .invalid ? 2 : 0
        }
    }

    private func skipReason(_ outcome: FileOutcome) -> String {
        if case .skipped(let reason) = outcome.status { return reason }
        return "the commands did not run"
    }

    /// The engines (by name, in registry order) whose client some of `commands` run.
    static func enginesUsed(by commands: [String]) -> [String] {
        EngineRegistry.names.filter { name in commands.contains { EngineRegistry.engines(usedBy: $0).contains(name) } }
    }

    /// A new session block in `format` (with the block's options when there are any).
    static func block(_ lines: [String], options: [String], ending: String,
                      in format: any DocumentFormat = DocumentFormats.fallback) -> String {
        format.renderBlock(lines: lines, options: options, ending: ending)
    }

    /// `block` after `text`, separated by a blank line.
    static func appending(_ block: String, to text: String, ending: String) -> String {
        if text.isEmpty { return block }
        var out = text
        if !out.hasSuffix("\n") { out += ending }
        if !out.hasSuffix("\n\n") && !out.hasSuffix("\r\n\r\n") { out += ending }
        return out + block
    }
}
