import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one transcript file from start to end: parse, check, compile every expectation (the
/// plan), then run each command in one shell, compare, and tear down everything the file started.
package struct FileRunner: Sendable {
    package let settings: RunSettings
    package let configurations: ConfigurationResolver
    package let engines: EngineSet
    package let observer: (any RunObserver)?
    /// When set, a file's engines are stopped off its path (the run waits for them at its end);
    /// else each file stops its own before it returns.
    package var stops: EngineStops?

    package init(settings: RunSettings, configurations: ConfigurationResolver, engines: EngineSet, observer: (any RunObserver)?) {
        self.settings = settings
        self.configurations = configurations
        self.engines = engines
        self.observer = observer
    }

    /// The skip reason of blocks `--filter` or `file.md:LINE` leaves out.
    package static let notSelected = "not selected"

    /// Runs the file at `path` once (in a matrix run, on the first engine that serves it) and
    /// returns what it came to. Never throws: every problem is an outcome.
    package func run(path: String) -> FileOutcome {
        run(jobs(for: path).first ?? FileJob(path: path))
    }

    /// Runs one run of a file (on its matrix engine, if any) and returns what it came to.
    package func run(_ job: FileJob) -> FileOutcome {
        run(job) { nil }
    }

    /// Runs one run of a file; `ahead` gives its start when the run's pool took it ahead
    /// (`EnginePool`), nil to start it here.
    func run(_ job: FileJob, ahead: () -> FileStart?) -> FileOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        observer?.fileStarted(path: runLabel(job.path, engine: job.engine))
        var outcome: FileOutcome
        switch ahead() ?? self.start(job) {
        case .ended(let ended): outcome = ended
        case .ready(let file): outcome = finish(file, began: start)
        }
        outcome.matrixEngine = job.engine
        outcome.duration = clock.now - start
        observer?.fileFinished(outcome)
        return outcome
    }

    /// Why `features` cannot be had here, or nil when all are present. Engine versions are checked
    /// later, once an engine answers. `fileFeatures` are the file's own (`network` looks at both:
    /// commands that talk to a private engine have no network).
    func missing(_ features: [Feature], configuration: Configuration, environment: [String: String],
                 fileFeatures: [Feature] = [], engine: String? = nil) -> String? {
        // First: a block that needs the network and a private engine can never run, whatever is installed.
        if features.contains(.network) {
            let usesEngine = (features + fileFeatures).contains { $0.engineName != nil }
            if let reason = NetworkAccess.unavailableReason(engineMode: usesEngine ? settings.engine : nil, environment: environment) {
                return reason
            }
        }
        for feature in features {
            switch feature {
            case .linux:
                #if !os(Linux)
                return "requires linux"
                #endif
            case .root:
                if geteuid() != 0 { return "requires root" }
            case .command(let name):
                if findProgram(name, path: environment["PATH"] ?? "") == nil { return "requires cmd:\(name): not found on PATH" }
            case .network:
                break
            case .engine(let name, _):
                if let reason = engines.unavailableReason(name, on: engine, matrix: matrix(for: configuration), configuration: configuration) {
                    return "requires \(feature): \(reason)"
                }
            }
        }
        return nil
    }

    /// Runs a planned file: decides which blocks run, makes its directory, engine and shell,
    /// runs the blocks, and removes everything it started.
    package func execute(_ plan: FilePlan, path: String, engine: String? = nil) -> FileOutcome {
        let began = ContinuousClock.now
        switch start(decide(plan, path: path, engine: engine)) {
        case .ended(let outcome): return outcome
        case .ready(let file): return finish(file, began: began)
        }
    }

    /// Runs the selected blocks in the file's shell, with `engines` provided.
    func execute(_ plan: FilePlan, selection: BlockSelection, engines: FileEngines, directory: String,
                         environment: [String: String], outcome: FileOutcome) -> FileOutcome {
        var selection = selection
        var environment = environment
        for (key, value) in engines.environment { environment[key] = value }
        // NAME>=VERSION needs the engine's answer.
        for index in plan.transcript.blocks.indices where selection.skips[index] == nil {
            selection.skips[index] = engines.versionSkip(plan.options[index].requires)
        }
        fileEnvironment(&environment, plan: plan, directory: directory)
        let shellPath = plan.fileOptions.shell ?? plan.configuration.shell ?? "bash"
        var workingDirectory = directory
        if let style = plan.fileOptions.environment {
            guard let prepared = ToolEnvironment(style: style, file: plan.transcript.source.absolutePath, directory: directory,
                                                 shell: shellPath).prepare(&environment) else {
                return outcome.failing("cannot create the test's directories in \(directory)")
            }
            workingDirectory = prepared
        }
        var configuration = ShellSession.Configuration(shell: shellPath, workingDirectory: workingDirectory,
                                                       environment: environment, outputLimit: settings.outputLimit)
        configuration.masks = engines.masks
        configuration.covered = engines.covered
        let shell: ShellSession
        do {
            shell = try ShellSession(configuration: configuration)
        } catch {
            return outcome.failing("the shell could not be started: \(error)")
        }
        // On SIGINT/SIGTERM kill the whole session at once; terminate() then reaps it.
        let interruption = Interruption.register { shell.interrupt() }
        defer {
            Interruption.unregister(interruption)
            shell.terminate()
        }
        if let failure = engines.setupFailure(running: { shell.run($0, timeout: $1) }) {
            return outcome.failing(failure)
        }
        var execution = FileExecution(plan: plan, selection: selection, diffBounds: settings.diffBounds, engine: engines.info?.name,
                                      variables: Bindings.builtIn(from: environment))
        if plan.fileOptions.environment == .prysk, let temporary = environment["TMPDIR"] {
            execution.outputReplacement = (Array(temporary.utf8), Array("$TMPDIR".utf8))
        }
        return run(execution, in: shell, outcome: outcome)
    }

    /// The loop: each batch goes to the shell, each result is recorded as it arrives, and
    /// captures are exported before the next batch.
    private func run(_ start: FileExecution, in shell: ShellSession, outcome base: FileOutcome) -> FileOutcome {
        var execution = start
        let path = base.path
        var background: [BackgroundBlock] = []
        while let batch = execution.nextBatch() {
            if batch.background {
                if let started = startBackground(batch, beside: shell, execution: &execution) { background.append(started) }
                continue
            }
            var events = batch.terminal.map { shell.start(terminal: $0, command: batch.texts[0], timeout: batch.timeout) }
                ?? shell.start(batch: batch.texts, timeout: batch.timeout, answers: batch.answers)
            while let event = events.next() {
                switch event {
                case .started(let offset):
                    let block = execution.plan.transcript.blocks[batch.block]
                    observer?.commandStarted(path: block.origin ?? path, line: block.commands[batch.first + offset].line,
                                             command: batch.texts[offset])
                case .finished(let offset, let result):
                    let recorded = execution.record(batch, offset: offset, result: result)
                    report(recorded, path: path, bindings: execution.bindings)
                    for (name, value) in recorded.captured { shell.export(name, value: value) }
                }
            }
            background = collect(background, into: &execution, shell: shell, waiting: false)
        }
        _ = collect(background, into: &execution, shell: shell, waiting: true)
        var outcome = base
        outcome.blocks = execution.blocks
        outcome.bindings = execution.bindings
        if let status = execution.skippedByExit {
            let reason = "the shell exited with \(status) (skip-exit)"
            outcome.status = .skipped(reason: reason)
            outcome.blocks = skippedBlocks(plan: execution.plan, reason: reason)
            return outcome
        }
        let failed = outcome.blocks.contains { block in
            switch block.status {
            case .failed, .notRun: return true
            case .nowConforms: return settings.strict
            default: return false
            }
        }
        outcome.status = failed ? .failed : .passed
        return outcome
    }

    /// Starts a background block in a second shell that starts where the first one stands; a
    /// second shell that cannot start fails the block at once.
    private func startBackground(_ batch: FileExecution.Batch, beside shell: ShellSession,
                                 execution: inout FileExecution) -> BackgroundBlock? {
        var configuration = shell.configuration
        var state: String?
        if let pid = shell.processID {
            if let directory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") {
                configuration.workingDirectory = directory
            }
            let printed = shell.run(BackgroundBlock.stateCommand(bash: ShellScript.isBash(shell.path)), timeout: batch.timeout)
            if printed.exitStatus == 0 { state = String(decoding: printed.output, as: UTF8.self) }
        }
        do {
            return try BackgroundBlock(batch, configuration: configuration, state: state)
        } catch {
            let failed = CommandResult(output: Array("\(error.message)\n".utf8), cutBytes: 0, exitStatus: 255,
                                       timedOut: false, shellEnded: true, duration: .zero)
            for recorded in execution.recordBackground(batch, BackgroundBlock.Finished(results: [failed], duration: .zero)) {
                report(recorded, path: execution.plan.transcript.source.path, bindings: execution.bindings)
            }
            return nil
        }
    }

    /// Records the background blocks that have ended (all of them when `waiting`: the file is
    /// done, and each gets `BackgroundBlock.grace` at most); returns those still running.
    private func collect(_ running: [BackgroundBlock], into execution: inout FileExecution, shell: ShellSession,
                         waiting: Bool) -> [BackgroundBlock] {
        var still: [BackgroundBlock] = []
        let deadline = ContinuousClock.now + BackgroundBlock.grace
        for block in running {
            guard waiting || block.isFinished else {
                still.append(block)
                continue
            }
            let finished = block.collect(waitingAtMost: max(.zero, deadline - ContinuousClock.now))
            for recorded in execution.recordBackground(block.batch, finished) {
                report(recorded, path: execution.plan.transcript.source.path, bindings: execution.bindings)
                for (name, value) in recorded.captured { shell.export(name, value: value) }
            }
        }
        return still
    }

    /// Tells the observer what one recorded command came to.
    private func report(_ recorded: FileExecution.Recorded, path: String, bindings: Bindings) {
        guard let observer else { return }
        if recorded.boundExamples { observer.examplesBound(path: path, examplesByActual: bindings.examples.examplesByActual) }
        for (name, value) in recorded.captured { observer.variableCaptured(path: path, name: name, value: value) }
        observer.commandFinished(path: path, outcome: recorded.outcome)
    }

    /// The variables every command of the file sees besides the configuration's.
    private func fileEnvironment(_ environment: inout [String: String], plan: FilePlan, directory: String) {
        let configured = plan.configuration.environment
        environment["TRANSCRIPT_FILE"] = plan.transcript.source.absolutePath
        environment["TRANSCRIPT_DIR"] = (plan.transcript.source.absolutePath as NSString).deletingLastPathComponent
        environment["TMPDIR"] = directory
        environment["LC_ALL"] = configured["LC_ALL"] ?? "C"
        environment["TZ"] = configured["TZ"] ?? "UTC"
        environment["COLUMNS"] = configured["COLUMNS"] ?? "80"
        environment["PWD"] = directory
        // The harness's own executable, so transcripts can test the very binary that runs them.
        environment["TRANSCRIPT_EXECUTABLE"] = ownExecutable
        if let sidecar = settings.sidecar { environment["TRANSCRIPT_SIDECAR"] = sidecar.absoluteDirectory }
    }

    /// Every block of the file skipped for `reason`.
    func skippedBlocks(plan: FilePlan, reason: String) -> [BlockOutcome] {
        skippedBlocks(plan.transcript, plan.transcript.blocks.map { _ in reason })
    }

    func skippedBlocks(_ transcript: Transcript, _ skips: [String?]) -> [BlockOutcome] {
        transcript.blocks.enumerated().map { index, block in
            BlockOutcome(index: index, line: block.openingLine, heading: block.heading, status: .skipped(reason: skips[index] ?? "skip"),
                         origin: block.origin)
        }
    }

    func makeTemporaryDirectory() -> String? {
        let base = settings.environment["TEST_TMPDIR"] ?? settings.environment["TMPDIR"] ?? "/tmp"
        // Made through the launch gate: none once the run is interrupted, and one made before
        // is removed by the interruption if this runner cannot do it any more.
        TemporaryDirectories.sweep(base)
        guard case .made(let result) = LaunchGate.makeDirectory(TemporaryDirectories.template(base: base, kept: settings.keepTemp)) else {
            return nil
        }
        if settings.keepTemp { LaunchGate.forget(result) }
        // Resolve symlinks so `pwd` and $TMPDIR agree.
        return (result as NSString).resolvingSymlinksInPath
    }
}

extension FileOutcome {
    /// This outcome, failed with `error` before any block ran.
    func failing(_ error: String) -> FileOutcome {
        var outcome = self
        outcome.status = .failed
        outcome.errors.append(error)
        return outcome
    }
}

/// The path of the running executable.
let ownExecutable: String = {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}()

/// Removes a directory tree, making read-only parts writable first.
func removeTree(_ path: String) {
    if (try? FileManager.default.removeItem(atPath: path)) != nil { return }
    if let enumerator = FileManager.default.enumerator(atPath: path) {
        for case let item as String in enumerator {
            chmod(path + "/" + item, 0o700)
        }
    }
    chmod(path, 0o700)
    try? FileManager.default.removeItem(atPath: path)
}

/// `text` quoted for a POSIX shell.
package func shellQuote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// An absolute form of `path`.
package func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// `1.5s`, `300ms`, `2m`: a duration as a person writes it.
package func formatDuration(_ d: Duration) -> String {
    let s = d.seconds
    if s < 1 { return "\(Int((s * 1000).rounded()))ms" }
    if s < 60 { return s == s.rounded() ? "\(Int(s))s" : String(format: "%.1fs", s) }
    let m = Int(s) / 60, r = Int(s) % 60
    return r == 0 ? "\(m)m" : "\(m)m\(r)s"
}
