import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `transcript update` (or `run --update`) is asked to do besides running.
package struct UpdateSettings: Sendable {
    /// `--diff`: print a unified diff of the changes instead of writing them.
    package var diffOnly = false
    /// `--interactive`: ask before each command's change.
    package var interactive = false
    /// `--update-divergent`: rewrite blocks marked `diverges=` too.
    package var includeDivergent = false

    package init() {}
}

/// Asks the user about one change (interactive update mode).
package protocol ChangePrompt: AnyObject {
    /// Shows `text` and returns the answer.
    func ask(_ text: String) -> ChangeAnswer
}

package enum ChangeAnswer: Sendable {
    case accept, skip, quit
}

/// One invocation of update mode: run, rewrite each failing file, write it atomically, run it
/// again, and report.
package enum UpdateSession {
    package static func run(paths: [String], settings: RunSettings, update: UpdateSettings,
                            prompt: (any ChangePrompt)? = nil, engines: EngineSet? = nil) -> Int32 {
        let out = OutputStream.standardOutput
        let err = OutputStream.standardError
        let files: [String]
        switch Discovery.files(for: paths) {
        case .failure(let diagnostics):
            for item in diagnostics.items { err.write("transcript: " + item.description + "\n") }
            return 2
        case .success(let found):
            files = RunSession.select(found, settings: settings)
        }
        let own = EngineSet(mode: settings.engine, environment: settings.environment)
        let provider = engines ?? own
        // The fixture archives built for this run go with it.
        defer { own.finish() }
        Interruption.install()
        let tracker = VariableTracker()
        if settings.verbose {
            tracker.next = PrettyReporter(style: Style.detect(environment: settings.environment), verbose: true, jobs: settings.jobs)
        }
        let resolver = ConfigurationResolver()
        let fileRunner = FileRunner(settings: settings, configurations: resolver, engines: provider, observer: tracker)
        let outcomes = Runner(fileRunner: fileRunner, jobs: update.interactive ? 1 : settings.jobs).run(files: files) { _ in }

        var passed = 0, updated = 0, failed = 0, skipped = 0, invalid = 0
        var changed = false
        var quit = false
        for outcome in outcomes {
            switch outcome.status {
            case .skipped:
                skipped += 1
                continue
            case .invalid:
                invalid += 1
                for item in outcome.diagnostics { err.write(item.description + "\n") }
                err.write("\(outcome.path): not updated: the document has errors\n")
                continue
            case .passed, .failed:
                break
            }
            let rewritable = outcome.blocks.contains { block in
                switch block.status {
                case .failed: return true
                case .diverged: return update.includeDivergent
                default: return false
                }
            }
            guard rewritable, !quit else {
                if outcome.status == .failed { failed += 1 } else { passed += 1 }
                if outcome.status == .failed {
                    for message in outcome.errors { err.write("\(outcome.path): \(message)\n") }
                }
                continue
            }
            guard let planned = plan(outcome, fileRunner: fileRunner, resolver: resolver, update: update, tracker: tracker) else {
                failed += 1
                continue
            }
            var changes = planned.changes
            for note in planned.notes { err.write("\(outcome.path):\(note.line): not updated: \(note.message)\n") }
            if update.interactive, let prompt {
                var accepted: [CommandChange] = []
                for change in changes {
                    if quit { break }
                    let text = "\(outcome.path):\(change.commandLine): $ \(change.commandText.split(separator: "\n").first ?? "")\n"
                        + UnifiedDiff.hunks([change], in: planned.updater.transcript.source)
                    switch prompt.ask(text) {
                    case .accept: accepted.append(change)
                    case .skip: break
                    case .quit: quit = true
                    }
                }
                changes = accepted
            }
            if changes.isEmpty {
                if outcome.status == .failed { failed += 1 } else { passed += 1 }
                continue
            }
            let source = planned.updater.transcript.source
            let text = DocumentUpdater.apply(changes, to: source)
            if let problem = planned.updater.verify(text, changes: changes) {
                err.write("\(outcome.path): not updated: \(problem)\n")
                failed += 1
                continue
            }
            changed = true
            if update.diffOnly {
                out.write("--- \(outcome.path)\n+++ \(outcome.path)\n" + UnifiedDiff.hunks(changes, in: source))
                updated += 1
                continue
            }
            do {
                try AtomicFile.write(text, to: source.absolutePath, mode: fileMode(source.absolutePath))
            } catch {
                err.write("\(outcome.path): cannot write the update: \(error)\n")
                failed += 1
                continue
            }
            out.write("updated \(outcome.path) (\(changes.count) command\(changes.count == 1 ? "" : "s"))\n")
            updated += 1
            // Output that varies from run to run shows itself here.
            let again = FileRunner(settings: settings, configurations: resolver, engines: provider, observer: nil)
                .run(path: outcome.path)
            // Commands the user chose to leave as they are fail as before and are not news.
            let changedLines = Set(changes.map(\.commandLine))
            let still = stillFailing(again, includeDivergent: update.includeDivergent)
                .filter { changedLines.contains($0.line) || !update.interactive }
            if again.status != .passed {
                failed += 1
                updated -= 1
                for command in still {
                    let why = command.messages.first ?? "does its output vary from run to run?"
                    err.write("\(outcome.path):\(command.line): still fails after the update (\(why)): $ \(command.text.split(separator: "\n").first ?? "")\n")
                }
                if again.status == .invalid { err.write("\(outcome.path): the updated document has errors\n") }
            }
        }
        // The closing line keeps the form of every run's: updated files that now pass count as
        // passed; with --diff, files that would change count as failed.
        let totals = update.diffOnly
            ? "to update: \(updated)\ntranscripts: \(passed) passed, \(failed + invalid + updated) failed, \(skipped) skipped\n"
            : "updated: \(updated)\ntranscripts: \(passed + updated) passed, \(failed + invalid) failed, \(skipped) skipped\n"
        let summary = totals
        if update.diffOnly { err.write(summary) } else { out.write(summary) }
        if invalid > 0 { return 2 }
        if update.diffOnly { return changed || failed > 0 ? 1 : 0 }
        return failed > 0 ? 1 : 0
    }

    struct Plan {
        var updater: DocumentUpdater
        var changes: [CommandChange]
        var notes: [UpdateNote]
    }

    /// The changes for one file, or nil (with a message) when it cannot be updated.
    static func plan(_ outcome: FileOutcome, fileRunner: FileRunner, resolver: ConfigurationResolver,
                     update: UpdateSettings, tracker: VariableTracker) -> Plan? {
        let err = OutputStream.standardError
        guard let transcript = outcome.transcript else {
            err.write("\(outcome.path): not updated: it could not be read\n")
            return nil
        }
        // The file as it is now: it must not have changed while it ran.
        let current: SourceFile
        do {
            current = try SourceFile.read(path: outcome.path)
        } catch {
            err.write("\(outcome.path): not updated: \(error.description)\n")
            return nil
        }
        guard current.text == transcript.source.text else {
            err.write("\(outcome.path): not updated: the file changed while it ran\n")
            return nil
        }
        let prepared: FileRunner.Prepared
        let library: PatternLibrary
        switch fileRunner.prepare(source: current) {
        case .failure(let diagnostics):
            for item in diagnostics.items { err.write(item.description + "\n") }
            return nil
        case .success(let value):
            prepared = value
        }
        do {
            library = try resolver.patternLibrary(for: prepared.configuration)
        } catch {
            for item in error.items { err.write(item.description + "\n") }
            return nil
        }
        let updater = DocumentUpdater(transcript: transcript, options: prepared.options, library: library,
                                      includeDivergent: update.includeDivergent, variables: tracker.snapshots(for: outcome.path),
                                      examplesByActual: tracker.examplesByActual(for: outcome.path))
        let (changes, notes) = updater.changes(for: outcome)
        return Plan(updater: updater, changes: changes, notes: notes)
    }

    /// The commands that fail in `outcome` (those of diverging blocks only with `includeDivergent`).
    static func stillFailing(_ outcome: FileOutcome, includeDivergent: Bool) -> [CommandOutcome] {
        var commands: [CommandOutcome] = []
        for block in outcome.blocks {
            switch block.status {
            case .failed, .notRun: break
            case .diverged where includeDivergent: break
            default: continue
            }
            commands += block.commands.filter { $0.status != .passed }
        }
        return commands
    }

    /// The permission bits of the file at `path`, to keep them on the rewritten file.
    static func fileMode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }
}

/// Remembers, per file and command line, the variables captured before that command ran, so
/// update mode can keep a `{{$VAR}}` whose value still fits.
final class VariableTracker: RunObserver, @unchecked Sendable {
    /// Another observer that sees every event too (`--verbose`).
    var next: (any RunObserver)?
    private let lock = NSLock()
    private var current: [String: [String: String]] = [:]
    private var byCommand: [String: [Int: [String: String]]] = [:]

    func fileStarted(path: String) {
        next?.fileStarted(path: path)
        lock.lock()
        defer { lock.unlock() }
        current[path] = [:]
    }

    func commandStarted(path: String, line: Int, command: String) {
        next?.commandStarted(path: path, line: line, command: command)
        lock.lock()
        defer { lock.unlock() }
        byCommand[path, default: [:]][line] = current[path] ?? [:]
    }

    func variableCaptured(path: String, name: String, value: String) {
        next?.variableCaptured(path: path, name: name, value: value)
        lock.lock()
        defer { lock.unlock() }
        current[path, default: [:]][name] = value
    }

    func commandFinished(path: String, outcome: CommandOutcome) {
        next?.commandFinished(path: path, outcome: outcome)
    }

    private var examples: [String: [String: String]] = [:]

    func examplesBound(path: String, examplesByActual: [String: String]) {
        next?.examplesBound(path: path, examplesByActual: examplesByActual)
        lock.lock()
        defer { lock.unlock() }
        examples[path] = examplesByActual
    }

    /// The file's `examples=` bindings at its end, as actual value → example.
    func examplesByActual(for path: String) -> [String: String] {
        lock.lock()
        defer { lock.unlock() }
        return examples[path] ?? [:]
    }

    func snapshots(for path: String) -> [Int: [String: String]] {
        lock.lock()
        defer { lock.unlock() }
        return byCommand[path] ?? [:]
    }
}
