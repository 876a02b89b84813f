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
    /// `--force`: write read-only documents too.
    package var force = false
    /// How the diffs (`--diff`, `--interactive`) are shown: set by `run` from `--color`.
    var style = Style(color: false)

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
package enum UpdateInvocation {
    package static func run(paths: [String], settings: RunSettings, update: UpdateSettings,
                            prompt: (any ChangePrompt)? = nil, engines: EngineSet? = nil) -> Int32 {
        var update = update
        update.style = Style.detect(environment: settings.environment, choice: settings.color)
        let err = OutputStream.standardError
        if let engines = settings.engines, engines.count > 1 {
            err.write("transcript: error: update rewrites each document from one engine, and --engines names \(engines.count) ("
                      + engines.joined(separator: ", ") + ")\nhelp: name the one to write from with --engine \(engines[0])\n")
            return 2
        }
        let files: [String]
        switch Discovery.files(for: paths) {
        case .failure(let diagnostics):
            for item in diagnostics.items { err.write("transcript: " + item.description + "\n") }
            return 2
        case .success(let found):
            files = RunInvocation.select(found, settings: settings)
        }
        let own = EngineSet(mode: settings.engine, environment: settings.environment)
        let provider = engines ?? own
        // The fixture archives built for this run go with it.
        defer { own.finish() }
        Interruption.install()
        let observer: (any RunObserver)? = settings.verbose
            ? PrettyReporter(style: update.style, verbose: true, jobs: settings.jobs) : nil
        let resolver = ConfigurationResolver()
        // The rewrite reads every line of each diff: these runs keep them all.
        var unbounded = settings
        unbounded.diffBounds = nil
        let fileRunner = FileRunner(settings: unbounded, configurations: resolver, engines: provider, observer: observer)
        // A file whose configuration lists several engines is written from the first that serves it.
        var seen = Set<String>()
        let jobs = fileRunner.jobs(for: files).filter { seen.insert($0.path).inserted }
        let outcomes = Runner(fileRunner: fileRunner, jobs: update.interactive ? 1 : settings.jobs).run(jobs: jobs) { _ in }

        var tally = Tally()
        let rerun = FileRunner(settings: settings, configurations: resolver, engines: provider, observer: nil)
        for outcome in outcomes {
            tally.count(updateFile(outcome, update: update, prompt: prompt, quit: &tally.quit, rerun: rerun))
        }
        return tally.finish(update)
    }

    /// What became of one file.
    enum FileResult {
        case passed, failed, skipped, invalid
        /// Written; whether it passes when run again (a change left out with -i fails still).
        case updated(passing: Bool)
        /// Changes that --diff printed.
        case wouldUpdate
    }

    /// The totals of an update run and its closing lines.
    struct Tally {
        var passed = 0, updated = 0, failed = 0, skipped = 0, invalid = 0
        var changed = false
        /// The user answered `q`: no further change is offered.
        var quit = false

        mutating func count(_ result: FileResult) {
            switch result {
            case .passed: passed += 1
            case .updated(let passing):
                updated += 1
                changed = true
                if passing { passed += 1 } else { failed += 1 }
            case .wouldUpdate: updated += 1; changed = true
            case .failed: failed += 1
            case .skipped: skipped += 1
            case .invalid: invalid += 1
            }
        }

        /// Writes the closing lines and returns the exit status. They keep the form of every
        /// run's: an updated file counts as passed or failed as it ran again; with --diff, files
        /// that would change count as failed.
        func finish(_ update: UpdateSettings) -> Int32 {
            if update.diffOnly {
                OutputStream.standardError.write("to update: \(updated)\ntranscripts: \(passed) passed, "
                                                 + "\(failed + invalid + updated) failed, \(skipped) skipped\n")
            } else {
                OutputStream.standardOutput.write("updated: \(updated)\ntranscripts: \(passed) passed, "
                                                  + "\(failed + invalid) failed, \(skipped) skipped\n")
            }
            if invalid > 0 { return 2 }
            if update.diffOnly { return changed || failed > 0 ? 1 : 0 }
            return failed > 0 ? 1 : 0
        }
    }

    /// Updates the file of one outcome: plans its changes, asks about them (interactive), checks,
    /// writes (or prints a diff) and runs it again.
    static func updateFile(_ outcome: FileOutcome, update: UpdateSettings, prompt: (any ChangePrompt)?,
                           quit: inout Bool, rerun: FileRunner) -> FileResult {
        let err = OutputStream.standardError
        switch outcome.status {
        case .skipped:
            return .skipped
        case .invalid:
            for item in outcome.diagnostics { err.write(item.description + "\n") }
            err.write("\(outcome.path): not updated: the document has errors\n")
            return .invalid
        case .passed, .failed:
            break
        }
        let asIs: FileResult = outcome.status == .failed ? .failed : .passed
        guard isRewritable(outcome, update: update), !quit else {
            if outcome.status == .failed {
                for message in outcome.errors { err.write("\(outcome.path): \(message)\n") }
            }
            return asIs
        }
        guard let planned = plan(outcome, update: update) else { return .failed }
        for note in planned.notes { err.write("\(outcome.path):\(note.line): not updated: \(note.message)\n") }
        var changes = planned.changes
        if update.interactive, let prompt {
            changes = ask(prompt, about: changes, in: outcome, planned: planned, style: update.style, quit: &quit)
        }
        if changes.isEmpty { return asIs }
        return write(changes, planned: planned, outcome: outcome, update: update, rerun: rerun)
    }

    /// Whether the outcome has a block update may rewrite.
    static func isRewritable(_ outcome: FileOutcome, update: UpdateSettings) -> Bool {
        outcome.blocks.contains { block in
            switch block.status {
            case .failed: return true
            case .diverged: return update.includeDivergent
            default: return false
            }
        }
    }

    /// The changes the user accepts, one question each, until `q`.
    static func ask(_ prompt: any ChangePrompt, about changes: [CommandChange], in outcome: FileOutcome, planned: Plan,
                    style: Style, quit: inout Bool) -> [CommandChange] {
        var accepted: [CommandChange] = []
        for change in changes {
            if quit { break }
            let text = style.bold("\(outcome.path):\(change.commandLine): $ \(change.commandText.split(separator: "\n").first ?? "")") + "\n"
                + UnifiedDiff.hunks([change], in: planned.updater.transcript.source, style: style)
            switch prompt.ask(text) {
            case .accept: accepted.append(change)
            case .skip: break
            case .quit: quit = true
            }
        }
        return accepted
    }

    /// Checks and writes the changes (or prints them with --diff), then runs the file again.
    static func write(_ changes: [CommandChange], planned: Plan, outcome: FileOutcome, update: UpdateSettings,
                      rerun: FileRunner) -> FileResult {
        let err = OutputStream.standardError
        let source = planned.updater.transcript.source
        let text = DocumentUpdater.apply(changes, to: source)
        if let problem = planned.updater.verify(text, changes: changes) {
            err.write("\(outcome.path): not updated: \(problem)\n")
            return .failed
        }
        if let diagnostics = fullCheck(text, of: source, rerun: rerun) {
            for item in diagnostics.items { err.write(item.description + "\n") }
            err.write("\(outcome.path): not updated: the updated document would have the errors above\n")
            return .failed
        }
        if update.diffOnly {
            OutputStream.standardOutput.write(UnifiedDiff.header(outcome.path, style: update.style)
                                              + UnifiedDiff.hunks(changes, in: source, style: update.style))
            return .wouldUpdate
        }
        do {
            let file = try DocumentFile.open(outcome.path).get()
            try file.write(text, force: update.force)
            if let note = file.note { err.write("\(outcome.path): note: \(note)\n") }
        } catch {
            err.write("\(outcome.path): not updated: \(error)\n")
            return .failed
        }
        OutputStream.standardOutput.write("updated \(outcome.path) (\(changes.count) command\(changes.count == 1 ? "" : "s"))\n")
        return checkAgain(FileJob(path: outcome.path, engine: outcome.matrixEngine), changes: changes, update: update, rerun: rerun)
    }

    /// The errors `run` would report for `text` in place of `source` (parsed and compiled the
    /// same way, before anything runs), or nil when it passes that check.
    static func fullCheck(_ text: String, of source: SourceFile, rerun: FileRunner) -> Diagnostics? {
        let updated = SourceFile(path: source.path, absolutePath: source.absolutePath, text: text)
        if case .failure(let diagnostics) = rerun.prepare(source: updated) { return diagnostics }
        return nil
    }

    /// Runs an updated file again: output that varies from run to run shows itself here.
    static func checkAgain(_ job: FileJob, changes: [CommandChange], update: UpdateSettings, rerun: FileRunner) -> FileResult {
        let path = job.path
        let again = rerun.run(job)
        guard again.status != .passed else { return .updated(passing: true) }
        let err = OutputStream.standardError
        // Commands the user chose to leave as they are fail as before and are not news.
        let changedLines = Set(changes.map(\.commandLine))
        let still = stillFailing(again, includeDivergent: update.includeDivergent)
            .filter { changedLines.contains($0.line) || !update.interactive }
        for command in still {
            let why = command.messages.first ?? "does its output vary from run to run?"
            err.write("\(path):\(command.line): still fails after the update (\(why)): $ \(command.text.split(separator: "\n").first ?? "")\n")
        }
        if again.status == .invalid { err.write("\(path): the updated document has errors\n") }
        return .updated(passing: false)
    }

    struct Plan {
        var updater: DocumentUpdater
        var changes: [CommandChange]
        var notes: [UpdateNote]
    }

    /// The changes for one file, or nil (with a message) when it cannot be updated.
    static func plan(_ outcome: FileOutcome, update: UpdateSettings) -> Plan? {
        let err = OutputStream.standardError
        guard let plan = outcome.plan else {
            err.write("\(outcome.path): not updated: it could not be read\n")
            return nil
        }
        let transcript = plan.transcript
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
        let updater = DocumentUpdater(plan: plan, outcome: outcome, includeDivergent: update.includeDivergent)
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
}
