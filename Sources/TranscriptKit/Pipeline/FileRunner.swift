import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one transcript file from start to end: parse, check, compile every expectation (the
/// plan), then run each command in one shell, compare, and tear down everything the file started.
package struct FileRunner: Sendable {
    package let settings: RunSettings
    package let configurations: ConfigurationResolver
    package let engines: any EngineProvider
    package let observer: (any RunObserver)?

    package init(settings: RunSettings, configurations: ConfigurationResolver, engines: any EngineProvider, observer: (any RunObserver)?) {
        self.settings = settings
        self.configurations = configurations
        self.engines = engines
        self.observer = observer
    }

    /// The skip reason of blocks `--filter` leaves out.
    package static let notSelected = "not selected by --filter"

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
        let transcript: Transcript
        let configuration: Configuration
        let library: PatternLibrary
        do {
            transcript = try DocumentFormats.parse(source)
            let directory = (source.absolutePath as NSString).deletingLastPathComponent
            configuration = try configurations.configuration(forDirectory: directory)
            library = try configurations.patternLibrary(for: configuration)
        } catch {
            return .failure(error)
        }
        return FilePlan.compile(transcript, configuration: configuration, library: library, timeoutFlag: settings.timeout)
    }

    /// Runs the file at `path` and returns what it came to. Never throws: every problem is an outcome.
    package func run(path: String) -> FileOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        observer?.fileStarted(path: path)
        var outcome: FileOutcome
        switch prepare(path: path) {
        case .failure(let diagnostics):
            outcome = FileOutcome(path: path, status: .invalid, diagnostics: diagnostics.items)
        case .success(let plan):
            outcome = execute(plan, path: path)
        }
        outcome.duration = clock.now - start
        observer?.fileFinished(outcome)
        return outcome
    }

    /// Why `features` cannot be had here, or nil when all are present. Engine versions are checked
    /// later, once an engine answers.
    func missing(_ features: [Feature], configuration: Configuration, environment: [String: String]) -> String? {
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
            case .docker, .dockerVersion:
                if let reason = engines.unavailableReason(configuration: configuration) { return "requires \(feature): \(reason)" }
            }
        }
        return nil
    }

    /// Runs a planned file: decides which blocks run, makes its directory, engine and shell,
    /// runs the blocks, and removes everything it started.
    package func execute(_ plan: FilePlan, path: String) -> FileOutcome {
        var environment = settings.environment
        for (key, value) in plan.configuration.environment { environment[key] = value }
        let base = FileOutcome(path: path, status: .passed, transcript: plan.transcript, plan: plan)
        let environmentForChecks = environment
        switch BlockSelection.decide(plan, path: path, filter: settings.filter, missing: {
            missing($0, configuration: plan.configuration, environment: environmentForChecks)
        }) {
        case .skipFile(let reason, let skips):
            var outcome = base
            outcome.status = .skipped(reason: reason)
            if let skips { outcome.blocks = skippedBlocks(plan.transcript, skips) }
            return outcome
        case .run(let selection):
            guard let directory = makeTemporaryDirectory() else {
                return base.failing("cannot create a temporary directory")
            }
            defer {
                if !settings.keepTemp { removeTree(directory) }
                LaunchGate.forget(directory)
            }
            var outcome = base
            outcome.keptDirectory = settings.keepTemp ? directory : nil
            return execute(plan, selection: selection, directory: directory, environment: environment, outcome: outcome)
        }
    }

    /// Runs the selected blocks with the file's engine (when one is needed) and shell.
    private func execute(_ plan: FilePlan, selection: BlockSelection, directory: String, environment: [String: String],
                         outcome base: FileOutcome) -> FileOutcome {
        var selection = selection
        var environment = environment
        var outcome = base
        var engine: (any RunningEngine)?
        defer { engine?.stop() }
        if selection.needsEngine {
            do {
                let started = try engines.start(configuration: plan.configuration, label: outcome.path)
                engine = started
                outcome.engine = started.info
                for (key, value) in started.environment { environment[key] = value }
                skipForVersions(&selection, plan: plan, info: started.info)
            } catch {
                return outcome.failing("the Docker engine could not be started: \(error)")
            }
        } else if environment["DOCKER_HOST"] == nil || settings.engine == .private {
            // A file that asked for no engine must never reach the user's own.
            environment["DOCKER_HOST"] = "unix://\(directory)/.no-docker-engine.sock"
        }
        fileEnvironment(&environment, plan: plan, directory: directory)
        let shell: ShellSession
        do {
            shell = try ShellSession(configuration: shellConfiguration(plan, directory: directory, environment: environment,
                                                                       engine: engine))
        } catch {
            return outcome.failing("the shell could not be started: \(error)")
        }
        // On SIGINT/SIGTERM kill the whole session at once; terminate() then reaps it.
        let interruption = Interruption.register { shell.interrupt() }
        defer {
            Interruption.unregister(interruption)
            shell.terminate()
        }
        if let engine, let failure = runSetup(plan, engine: engine, shell: shell) {
            return outcome.failing(failure)
        }
        return run(FileExecution(plan: plan, selection: selection), in: shell, outcome: outcome)
    }

    /// The loop: each batch goes to the shell, each result is recorded as it arrives, and
    /// captures are exported before the next batch.
    private func run(_ start: FileExecution, in shell: ShellSession, outcome base: FileOutcome) -> FileOutcome {
        var execution = start
        let path = base.path
        while let batch = execution.nextBatch() {
            var events = shell.start(batch: batch.texts, timeout: batch.timeout)
            while let event = events.next() {
                switch event {
                case .started(let offset):
                    let line = execution.plan.transcript.blocks[batch.block].commands[batch.first + offset].line
                    observer?.commandStarted(path: path, line: line, command: batch.texts[offset])
                case .finished(let offset, let result):
                    let recorded = execution.record(batch, offset: offset, result: result)
                    report(recorded, path: path, bindings: execution.bindings)
                    for (name, value) in recorded.captured { shell.export(name, value: value) }
                }
            }
        }
        var outcome = base
        outcome.blocks = execution.blocks
        outcome.bindings = execution.bindings
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

    /// Tells the observer what one recorded command came to.
    private func report(_ recorded: FileExecution.Recorded, path: String, bindings: Bindings) {
        guard let observer else { return }
        if recorded.boundExamples { observer.examplesBound(path: path, examplesByActual: bindings.examples.examplesByActual) }
        for (name, value) in recorded.captured { observer.variableCaptured(path: path, name: name, value: value) }
        observer.commandFinished(path: path, outcome: recorded.outcome)
    }

    /// Blocks that ask for a newer engine than the one that answered are skipped.
    private func skipForVersions(_ selection: inout BlockSelection, plan: FilePlan, info: EngineInfo) {
        for index in plan.transcript.blocks.indices where selection.skips[index] == nil {
            for feature in plan.options[index].requires ?? [] {
                if case .dockerVersion(let wanted) = feature, compareVersions(info.serverVersion, wanted) < 0 {
                    selection.skips[index] = "requires docker>=\(wanted): the engine is \(info.serverVersion)"
                }
            }
        }
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
    }

    /// The file's shell: its program, directory, environment and masks.
    private func shellConfiguration(_ plan: FilePlan, directory: String, environment: [String: String],
                                    engine: (any RunningEngine)?) -> ShellSession.Configuration {
        var configuration = ShellSession.Configuration(shell: plan.configuration.shell ?? "bash", workingDirectory: directory,
                                                       environment: environment, outputLimit: settings.outputLimit)
        // A file that speaks of docker cannot reach the host's engine by its default socket
        // either (`sudo docker` drops DOCKER_HOST): see ShellMask. Not with --engine host.
        if settings.engine == .private, !ShellMask.hostSockets.isEmpty, plan.transcript.source.text.contains("docker") {
            let privateSocket = engine.flatMap { $0.isPrivate ? $0.environment["DOCKER_HOST"] : nil }
                .map { $0.hasPrefix("unix://") ? String($0.dropFirst(7)) : $0 }
            configuration.masks = ShellMask.masks(engineSocket: privateSocket)
        }
        return configuration
    }

    /// Runs the engine's setup script in the file's shell; why it failed, or nil.
    private func runSetup(_ plan: FilePlan, engine: any RunningEngine, shell: ShellSession) -> String? {
        let configuration = plan.configuration
        guard engine.isPrivate, let fixture = configuration.docker.setup, let configPath = configuration.path else { return nil }
        let script = fixture.hasPrefix("/") ? fixture
            : ((absolute(configPath) as NSString).deletingLastPathComponent + "/" + fixture)
        let result = shell.run("sh " + shellQuote(script), timeout: .seconds(300))
        guard result.exitStatus != 0 || result.shellEnded else { return nil }
        return "the setup script \(fixture) failed with status \(result.exitStatus):\n"
            + String(decoding: result.output.suffix(4000), as: UTF8.self)
    }

    func skippedBlocks(_ transcript: Transcript, _ skips: [String?]) -> [BlockOutcome] {
        transcript.blocks.enumerated().map { index, block in
            BlockOutcome(index: index, line: block.openingLine, heading: block.heading, status: .skipped(reason: skips[index] ?? "skip"))
        }
    }

    func makeTemporaryDirectory() -> String? {
        let base = settings.environment["TEST_TMPDIR"] ?? settings.environment["TMPDIR"] ?? "/tmp"
        // Made through the launch gate: none once the run is interrupted, and one made before
        // is removed by the interruption if this runner cannot do it any more.
        guard case .made(let result) = LaunchGate.makeDirectory((base.hasSuffix("/") ? base : base + "/") + "transcript-XXXXXX") else {
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

/// The full path of a program found on `path` (a PATH value), if any.
package func findProgram(_ name: String, path: String) -> String? {
    if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

/// Compares dotted versions numerically ("20.10.24" vs "20.10"): -1, 0 or 1.
package func compareVersions(_ a: String, _ b: String) -> Int {
    func parts(_ s: String) -> [Int] {
        s.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "+" }).map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }
    let x = parts(a), y = parts(b)
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? x[i] : 0, r = i < y.count ? y[i] : 0
        if l != r { return l < r ? -1 : 1 }
    }
    return 0
}

/// `1.5s`, `300ms`, `2m`: a duration as a person writes it.
package func formatDuration(_ d: Duration) -> String {
    let s = d.seconds
    if s < 1 { return "\(Int((s * 1000).rounded()))ms" }
    if s < 60 { return s == s.rounded() ? "\(Int(s))s" : String(format: "%.1fs", s) }
    let m = Int(s) / 60, r = Int(s) % 60
    return r == 0 ? "\(m)m" : "\(m)m\(r)s"
}
