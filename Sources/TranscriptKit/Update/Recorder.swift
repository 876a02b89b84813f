import Foundation
import PCRE2

/// `transcript record`: runs commands as a transcript would (after the document's own blocks,
/// in the same shell, environment and temporary directory), and appends a session block with
/// their output, generalized, to the document.
package struct Recorder {
    package let settings: RunSettings
    package let engines: EngineSet
    /// `--force`: write a read-only document too.
    package var force = false

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

    /// The document being recorded into: where it is, what it holds, how its lines end.
    struct Document {
        var path: String
        var absolutePath: String
        var original: String
        /// The file on disk: where the text goes and what it keeps.
        var file: DocumentFile
        var ending: String
        var format: any DocumentFormat
    }

    /// Records `commands` into the document at `path` (created if missing); returns the exit status.
    package func record(path: String, commands: [String]) -> Int32 {
        // The fixture archives built for this run go with it.
        defer { ownEngines?.finish() }
        let err = OutputStream.standardError
        guard !commands.isEmpty else {
            err.write("transcript: no commands to record; give them after -- or one per line on standard input\n")
            return 2
        }
        guard let document = Self.open(path) else { return 2 }
        if !force, let readOnly = document.file.readOnlyReason {
            err.write("transcript: not recorded: \(readOnly)\n")
            return 1
        }
        let runner = FileRunner(settings: settings, configurations: ConfigurationResolver(), engines: engines, observer: nil)
        let used = Self.enginesUsed(by: commands)
        let options: [String] = used.isEmpty ? [] : ["requires=" + used.joined(separator: ",")]
        let ran: FirstRun
        switch run(commands, in: document, options: options, runner: runner) {
        case .failure(let failure): return failure.status
        case .success(let value): ran = value
        }
        let taken = Set(ran.plan.matchers.flatMap { $0.flatMap(\.capturedVariables) })
        let generalizer = Generalizer(library: ran.plan.library, takenNames: taken, lineRules: document.format.newBlockLineRules,
                                      variables: ran.variables)
        let recording = Recording(document: document, recorded: ran.recorded, generalizer: generalizer, options: options,
                                  variables: ran.variables)
        if let failed = write(recording, hints: [:], runner: runner) { return failed }
        let count = ran.recorded.count
        OutputStream.standardOutput.write("recorded \(count) command\(count == 1 ? "" : "s") into \(path)\n")
        return checkAgain(recording, runner: runner)
    }

    /// What one recording ran and how it is written.
    struct Recording {
        var document: Document
        var recorded: [RecordedCommand]
        var generalizer: Generalizer
        /// The block's options before `ws`, which the generalized lines may add.
        var options: [String]
        /// The built-in variables' values in the first run.
        var variables: [String: String]
    }

    /// Writes `recording` into its document as a new last block, with `hints` (values a second
    /// run showed to vary) as placeholders; nil, or the exit status after saying why not.
    func write(_ recording: Recording, hints: [Generalizer.Place: [Generalizer.Token]], runner: FileRunner) -> Int32? {
        let err = OutputStream.standardError
        let document = recording.document
        let result = recording.generalizer.generalize(recording.recorded, hints: hints)
        let options = recording.options + (result.needsWhitespaceTolerance ? ["ws"] : [])
        let block = Self.block(result.lines, options: options, ending: document.ending, in: document.format)
        let text = Self.appending(block, to: document.original, ending: document.ending)
        let updated = SourceFile(path: document.path, absolutePath: document.absolutePath, text: text)
        if case .failure(let diagnostics) = runner.prepare(source: updated) {
            for item in diagnostics.items { err.write(item.description + "\n") }
            err.write("transcript: \(document.path): not recorded: the document would have the errors above\n")
            return 1
        }
        do {
            try document.file.write(text, force: force)
            if let note = document.file.note, hints.isEmpty { err.write("transcript: note: \(note)\n") }
        } catch {
            err.write("transcript: cannot write \(document.path): \(error)\n")
            return 1
        }
        return nil
    }

    /// The document at `path` as it is now (empty when it does not exist), or nil after saying why.
    static func open(_ path: String) -> Document? {
        let absolutePath = URL(fileURLWithPath: absolute(path)).standardizedFileURL.path
        let file: DocumentFile
        switch DocumentFile.open(path) {
        case .failure(let error):
            OutputStream.standardError.write("transcript: \(error)\n")
            return nil
        case .success(let opened):
            file = opened
        }
        var original = ""
        if file.existing != nil {
            do {
                original = try SourceFile.read(path: path).text
            } catch {
                OutputStream.standardError.write(error.description + "\n")
                return nil
            }
        }
        return Document(path: path, absolutePath: absolutePath, original: original, file: file,
                        ending: original.contains("\r\n") ? "\r\n" : "\n",
                        format: DocumentFormats.format(for: path, text: original))
    }

    /// Runs `commands` as the last block of the document, with no expected output; the plan and
    /// what each command printed, or the exit status after saying why nothing was recorded.
    func run(_ commands: [String], in document: Document, options: [String],
             runner: FileRunner) -> Result<FirstRun, RecordFailure> {
        let err = OutputStream.standardError
        let path = document.path
        let running = Self.block(commands.flatMap(Generalizer.commandLines), options: options, ending: document.ending,
                                 in: document.format)
        let text = Self.appending(running, to: document.original, ending: document.ending)
        let plan: FilePlan
        switch runner.prepare(source: SourceFile(path: path, absolutePath: document.absolutePath, text: text)) {
        case .failure(let diagnostics):
            for item in diagnostics.items { err.write(item.description + "\n") }
            return .failure(RecordFailure(status: 2))
        case .success(let value):
            plan = value
        }
        // On the first engine of a matrix (`--engine NAME`) that serves the commands.
        let engine = runner.jobs(for: path, prepared: .success(plan)).first?.engine
        let outcome = runner.execute(plan, path: path, engine: engine)
        guard let block = outcome.blocks.last, block.index == plan.transcript.blocks.count - 1 else {
            err.write("transcript: \(path): nothing recorded: " + (outcome.errors.first ?? skipReason(outcome)) + "\n")
            return .failure(RecordFailure(status: 1))
        }
        if case .skipped(let reason) = block.status {
            err.write("transcript: \(path): nothing recorded: \(reason)\n")
            return .failure(RecordFailure(status: 1))
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
        let variables = block.commands.first?.bindingsBefore.map { Bindings.builtIn(from: $0.variables) } ?? [:]
        return .success(FirstRun(plan: plan, recorded: recorded, variables: variables))
    }

    /// What the recording run came to: the plan, each command's output, the built-in variables.
    struct FirstRun {
        var plan: FilePlan
        var recorded: [RecordedCommand]
        var variables: [String: String]
    }

    /// The exit status of a recording that ended early.
    struct RecordFailure: Error {
        var status: Int32
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
