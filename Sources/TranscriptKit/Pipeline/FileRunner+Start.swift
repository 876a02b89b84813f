import Foundation

/// What is decided of a file before anything is made for it: it ends at once (bad input, or
/// skipped as a whole), or its blocks run.
enum FileDecision: Sendable {
    case ended(FileOutcome)
    case run(DecidedFile)
}

/// A file whose blocks run, before its directory and engines are made.
struct DecidedFile: Sendable {
    var plan: FilePlan
    var selection: BlockSelection
    /// The engine kind of its run in a matrix run.
    var engine: String?
    /// The environment its commands get before any engine's variables.
    var environment: [String: String]
    /// Its outcome so far (passed, nothing run).
    var outcome: FileOutcome
}

/// A file's start, up to its engines: it ended before any shell, or it is ready for its shell.
/// The run's pool takes the starts of files that need engines ahead of their shells (`EnginePool`).
enum FileStart: Sendable {
    case ended(FileOutcome)
    case ready(StartedFile)
}

/// A file with its temporary directory and its engines, ready for its shell.
struct StartedFile: Sendable {
    var decided: DecidedFile
    var directory: String
    var engines: FileEngines
    /// When its engines were ready (they may have been started before the file began).
    var enginesReady: ContinuousClock.Instant
}

/// A file's start apart from its run, so that it can be taken ahead (`EnginePool`), and its end.
extension FileRunner {
    /// Reads and compiles `job` (unless done already) and decides which of its blocks run.
    func decide(_ job: FileJob) -> FileDecision {
        switch job.prepared ?? prepare(path: job.path) {
        case .failure(let diagnostics):
            return .ended(FileOutcome(path: job.path, status: .invalid, diagnostics: diagnostics.items))
        case .success(let plan):
            return decide(plan, path: job.path, engine: job.engine)
        }
    }

    /// Decides which blocks of `plan` run (on the matrix engine `engine`, if any).
    func decide(_ plan: FilePlan, path: String, engine: String?) -> FileDecision {
        var environment = settings.environment
        for (key, value) in plan.configuration.environment { environment[key] = value }
        let base = FileOutcome(path: path, status: .passed, transcript: plan.transcript, plan: plan)
        let environmentForChecks = environment
        let chosen = Selection.chosen(plan.transcript, path: path, filter: settings.filter, lines: settings.lines[path])
        switch BlockSelection.decide(plan, missing: {
            missing($0, configuration: plan.configuration, environment: environmentForChecks,
                    fileFeatures: plan.fileOptions.requires ?? [], engine: engine)
        }, chosen: chosen) {
        case .skipFile(let reason, let skips):
            var outcome = base
            outcome.status = .skipped(reason: reason)
            if let skips { outcome.blocks = skippedBlocks(plan.transcript, skips) }
            return .ended(outcome)
        case .run(let selection):
            return .run(DecidedFile(plan: plan, selection: selection, engine: engine, environment: environment, outcome: base))
        }
    }

    /// Decides `job` and, when its blocks run, makes its directory and engines.
    func start(_ job: FileJob) -> FileStart {
        start(decide(job))
    }

    func start(_ decision: FileDecision) -> FileStart {
        switch decision {
        case .ended(let outcome): return .ended(outcome)
        case .run(let decided): return start(decided)
        }
    }

    /// Makes the file's temporary directory and starts the engines its blocks need (guards from
    /// the others); on a failure nothing made is left.
    func start(_ decided: DecidedFile) -> FileStart {
        guard let directory = makeTemporaryDirectory() else {
            return .ended(decided.outcome.failing("cannot create a temporary directory"))
        }
        let plan = decided.plan
        let file = EngineFile(path: decided.outcome.path, text: plan.transcript.source.text, directory: directory,
                              environment: decided.environment, configuration: plan.configuration)
        switch engines.provide(needed: decided.selection.neededEngines, on: decided.engine, for: file) {
        case .failure(let failure):
            removeDirectory(directory)
            return .ended(decided.outcome.failing(failure.message))
        case .success(let engines):
            return .ready(StartedFile(decided: decided, directory: directory, engines: engines, enginesReady: .now))
        }
    }

    /// Runs a started file's blocks in its shell, then hands its engines over to be stopped and
    /// removes its directory. `began` is when the file began, for the time it waited for its engines.
    func finish(_ file: StartedFile, began: ContinuousClock.Instant) -> FileOutcome {
        defer { removeDirectory(file.directory) }
        var outcome = file.decided.outcome
        outcome.keptDirectory = settings.keepTemp ? file.directory : nil
        outcome.engine = file.engines.info
        outcome.engine?.waitSeconds = max(.zero, file.enginesReady - began).seconds
        outcome = execute(file.decided.plan, selection: file.decided.selection, engines: file.engines, directory: file.directory,
                          environment: file.decided.environment, outcome: outcome)
        let stopping = ContinuousClock.now
        stop(file.engines)
        outcome.engine?.stopSeconds = (ContinuousClock.now - stopping).seconds
        return outcome
    }

    /// Undoes a start that no file will run (a run that stops early): its engines are stopped
    /// and its directory removed.
    func discard(_ start: FileStart) {
        guard case .ready(let file) = start else { return }
        stop(file.engines)
        removeDirectory(file.directory)
    }

    /// Stops `engines` off the file's path when the run collects the stops, else at once.
    private func stop(_ engines: FileEngines) {
        if let stops { stops.stop(engines) } else { engines.stop() }
    }

    /// Removes a file's temporary directory (unless kept), which an interruption then leaves alone.
    private func removeDirectory(_ directory: String) {
        if !settings.keepTemp { removeTree(directory) }
        LaunchGate.forget(directory)
    }
}
