import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one transcript file from start to end: parse, check, compile every expectation, run
/// each command in one shell, compare, and tear down everything the file started.
package struct FileRunner: Sendable {
    package let settings: RunSettings
    package let configurations: ConfigurationResolver
    package let engines: EngineSet
    package let observer: (any RunObserver)?

    package init(settings: RunSettings, configurations: ConfigurationResolver, engines: EngineSet, observer: (any RunObserver)?) {
        self.settings = settings
        self.configurations = configurations
        self.engines = engines
        self.observer = observer
    }

    /// The skip reason of blocks `--filter` leaves out.
    package static let notSelected = "not selected by --filter"

    /// A transcript that passed every check before running, ready to run.
    package struct Prepared: Sendable {
        package var transcript: Transcript
        package var configuration: Configuration
        /// Per block, the effective options.
        package var options: [Options]
        /// Per block, per command, the compiled expectation.
        package var matchers: [[OutputMatcher]]
        /// The file-level options (configuration, flags and the file's comment merged).
        package var fileOptions: Options
    }

    /// Reads, parses and compiles a file; every input problem is returned as diagnostics.
    package func prepare(path: String) -> Result<Prepared, Diagnostics> {
        let source: SourceFile
        do {
            source = try SourceFile.read(path: path)
        } catch {
            return .failure(Diagnostics([error]))
        }
        return prepare(source: source)
    }

    /// Parses and compiles a transcript already read (update mode and `record` use it too).
    package func prepare(source: SourceFile) -> Result<Prepared, Diagnostics> {
        let transcript: Transcript
        do {
            transcript = try MarkdownParser.parse(source)
        } catch {
            return .failure(error)
        }
        let directory = (source.absolutePath as NSString).deletingLastPathComponent
        let configuration: Configuration
        do {
            configuration = try configurations.configuration(forDirectory: directory)
        } catch {
            return .failure(error)
        }
        let library: PatternLibrary
        do {
            library = try configurations.patternLibrary(for: configuration)
        } catch {
            return .failure(error)
        }
        var base = configuration.options
        if base.timeout == nil { base.timeout = configuration.timeout }
        if let flag = settings.timeout { base.timeout = flag }
        let fileOptions = transcript.fileOptions.merged(over: base)
        var problems: [Diagnostic] = []
        var known = Set<String>()
        var knownExamples = ExampleVocabulary()
        var allOptions: [Options] = []
        var matchers: [[OutputMatcher]] = []
        for block in transcript.blocks {
            let options = block.options.merged(over: fileOptions)
            allOptions.append(options)
            var blockMatchers: [OutputMatcher] = []
            var capturedInBlock = Set<String>()
            for command in block.commands {
                do {
                    let matcher = try OutputMatcher(command: command, options: options, library: library, file: source.path,
                                                    knownVariables: &known, knownExamples: &knownExamples,
                                                    capturedEarlierInBlock: capturedInBlock)
                    capturedInBlock.formUnion(matcher.capturedVariables)
                    blockMatchers.append(matcher)
                } catch {
                    problems += error.items
                }
            }
            matchers.append(blockMatchers)
        }
        if !problems.isEmpty { return .failure(Diagnostics(problems)) }
        return .success(Prepared(transcript: transcript, configuration: configuration, options: allOptions,
                                 matchers: matchers, fileOptions: fileOptions))
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
        case .success(let prepared):
            outcome = execute(prepared, path: path)
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
            case .engine(let name, _):
                if let reason = engines.unavailableReason(name, configuration: configuration) { return "requires \(feature): \(reason)" }
            }
        }
        return nil
    }

    package func execute(_ prepared: Prepared, path: String) -> FileOutcome {
        let transcript = prepared.transcript
        let configuration = prepared.configuration
        var environment = settings.environment
        for (key, value) in configuration.environment { environment[key] = value }

        // Decide, before starting anything, which blocks run.
        if let skip = prepared.fileOptions.skip, transcript.fileOptions.skip != nil || configuration.options.skip != nil {
            return FileOutcome(path: path, status: .skipped(reason: skip.reason ?? "skip"), transcript: transcript)
        }
        if let features = prepared.fileOptions.requires,
           let reason = missing(features, configuration: configuration, environment: environment) {
            return FileOutcome(path: path, status: .skipped(reason: reason), transcript: transcript)
        }
        var blockSkips: [String?] = []
        var neededEngines = Set<String>()
        for (index, block) in transcript.blocks.enumerated() {
            let options = prepared.options[index]
            if let filter = settings.filter, !Selection.keeps(filter, block: block, path: path) {
                blockSkips.append(FileRunner.notSelected)
            } else if let skip = options.skip {
                blockSkips.append(skip.reason ?? "skip")
            } else if let features = options.requires,
                      let reason = missing(features, configuration: configuration, environment: environment) {
                blockSkips.append(reason)
            } else {
                blockSkips.append(nil)
                neededEngines.formUnion((options.requires ?? []).compactMap(\.engineName))
            }
        }
        if transcript.blocks.isEmpty || blockSkips.allSatisfy({ $0 != nil }) {
            let reason = blockSkips.compactMap { $0 }.first ?? "no session blocks"
            return FileOutcome(path: path, status: .skipped(reason: reason),
                               blocks: skippedBlocks(transcript, blockSkips), transcript: transcript)
        }

        // The file's private directory, its engine and its shell.
        guard let directory = makeTemporaryDirectory() else {
            return FileOutcome(path: path, status: .failed, errors: ["cannot create a temporary directory"], transcript: transcript)
        }
        var fileEngines = FileEngines()
        defer {
            fileEngines.stop()
            if !settings.keepTemp { removeTree(directory) }
            LaunchGate.forget(directory)
        }
        // The engines the file asked for, and guards against the others.
        let engineFile = EngineFile(path: path, text: transcript.source.text, directory: directory,
                                    environment: environment, configuration: configuration)
        switch engines.provide(needed: neededEngines, for: engineFile) {
        case .failure(let failure):
            return FileOutcome(path: path, status: .failed, errors: [failure.message],
                               keptDirectory: settings.keepTemp ? directory : nil, transcript: transcript)
        case .success(let provided):
            fileEngines = provided
        }
        for (key, value) in fileEngines.environment { environment[key] = value }
        let engineInfo = fileEngines.info
        // NAME>=VERSION needs the engine's answer.
        for index in transcript.blocks.indices where blockSkips[index] == nil {
            blockSkips[index] = fileEngines.versionSkip(prepared.options[index].requires)
        }
        environment["TRANSCRIPT_FILE"] = transcript.source.absolutePath
        environment["TRANSCRIPT_DIR"] = (transcript.source.absolutePath as NSString).deletingLastPathComponent
        environment["TMPDIR"] = directory
        environment["LC_ALL"] = configuration.environment["LC_ALL"] ?? "C"
        environment["TZ"] = configuration.environment["TZ"] ?? "UTC"
        environment["COLUMNS"] = configuration.environment["COLUMNS"] ?? "80"
        environment["PWD"] = directory
        // The harness's own executable, so transcripts can test the very binary that runs them.
        environment["TRANSCRIPT_EXECUTABLE"] = ownExecutable

        let shell: ShellSession
        do {
            var shellConfiguration = ShellSession.Configuration(shell: configuration.shell ?? "bash", workingDirectory: directory,
                                                                environment: environment, outputLimit: settings.outputLimit)
            shellConfiguration.masks = fileEngines.masks
            shell = try ShellSession(configuration: shellConfiguration)
        } catch {
            return FileOutcome(path: path, status: .failed, errors: ["the shell could not be started: \(error)"],
                               keptDirectory: settings.keepTemp ? directory : nil, engine: engineInfo, transcript: transcript)
        }
        // On SIGINT/SIGTERM kill the whole session at once; terminate() then reaps it.
        let interruption = Interruption.register { shell.interrupt() }
        defer {
            Interruption.unregister(interruption)
            shell.terminate()
        }

        var errors: [String] = []
        var shellEnded = false
        if let failure = fileEngines.setupFailure(running: { shell.run($0, timeout: $1) }) {
            errors.append(failure)
            return FileOutcome(path: path, status: .failed, errors: errors, keptDirectory: settings.keepTemp ? directory : nil,
                               engine: engineInfo, transcript: transcript)
        }

        var bindings = Bindings()
        var blocks: [BlockOutcome] = []
        let clock = ContinuousClock()
        for (index, block) in transcript.blocks.enumerated() {
            if let reason = blockSkips[index] {
                blocks.append(BlockOutcome(index: index, line: block.openingLine, heading: block.heading, status: .skipped(reason: reason)))
                continue
            }
            let options = prepared.options[index]
            let blockStart = clock.now
            var commands: [CommandOutcome] = []
            let timeout = options.timeout ?? RunSettings.defaultTimeout
            // One command's outcome, once it has run.
            func record(_ commandIndex: Int, ranText text: String, _ result: CommandResult) {
                let command = block.commands[commandIndex]
                let boundBefore = bindings.examples.count
                let match = prepared.matchers[index][commandIndex].match(combinedOutput(result), bindings: &bindings)
                if bindings.examples.count != boundBefore {
                    observer?.examplesBound(path: path, examplesByActual: bindings.examples.examplesByActual)
                }
                for (name, value) in bindings.takeNewlyCaptured() {
                    shell.export(name, value: value)
                    observer?.variableCaptured(path: path, name: name, value: value)
                }
                var outcome = CommandOutcome(index: commandIndex, line: command.line, text: command.text,
                                             ranText: text == command.text ? nil : text, status: .passed,
                                             result: result, match: match, expectedExit: command.exitStatus?.status)
                let checkExit = !(options.ignoresExit) || command.exitStatus != nil
                let expectedExit = command.exitStatus?.status ?? 0
                if checkExit && result.exitStatus != expectedExit && !result.timedOut {
                    outcome.exitMismatch = true
                }
                if result.timedOut {
                    outcome.messages.append("timed out after \(formatDuration(timeout)): killed with everything it started")
                }
                if result.cutBytes > 0 {
                    outcome.messages.append("output cut: \(result.cutBytes) bytes were not kept")
                }
                if let message = match.message { outcome.messages.append(message) }
                if result.shellEnded {
                    shellEnded = true
                    let remaining = block.commands.count - commandIndex - 1
                        + transcript.blocks[(index + 1)...].enumerated().reduce(0) { sum, item in
                            blockSkips[index + 1 + item.offset] == nil ? sum + item.element.commands.count : sum
                        }
                    if remaining > 0 {
                        let why = result.timedOut ? "the shell was killed with it" : "the shell ended here (status \(result.exitStatus))"
                        outcome.messages.append("\(why); \(remaining) later command\(remaining == 1 ? "" : "s") not run")
                        outcome.status = .failed
                    }
                }
                if !match.passed || outcome.exitMismatch || result.timedOut { outcome.status = .failed }
                observer?.commandFinished(path: path, outcome: outcome)
                commands.append(outcome)
            }
            // Commands go to the shell in batches: a batch ends after a command whose match can
            // change what later commands run (a capture is exported, an example binding rewrites
            // their text), so the next batch is written once that match is known.
            var next = 0
            while next < block.commands.count {
                if shellEnded {
                    let command = block.commands[next]
                    commands.append(CommandOutcome(index: next, line: command.line, text: command.text, status: .notRun))
                    next += 1
                    continue
                }
                var end = next
                while end < block.commands.count - 1 {
                    let matcher = prepared.matchers[index][end]
                    if !matcher.capturedVariables.isEmpty || matcher.bindsExamples { break }
                    end += 1
                }
                let first = next
                let texts = block.commands[first...end].map { bindings.substitute(in: $0.text) }
                shell.run(batch: texts, timeout: timeout, started: { offset in
                    observer?.commandStarted(path: path, line: block.commands[first + offset].line, command: texts[offset])
                }, finished: { offset, result in
                    record(first + offset, ranText: texts[offset], result)
                    next = first + offset + 1
                })
                // When the shell ended, the rest of the batch did not run.
                if next == first { next = end + 1 }
            }
            let failed = commands.contains { $0.status != .passed }
            let ran = commands.contains { $0.status != .notRun }
            var status: BlockOutcome.Status
            if !ran && !commands.isEmpty {
                status = .notRun
            } else if let reason = options.diverges {
                status = failed ? .diverged(reason: reason) : .nowConforms(reason: reason)
            } else {
                status = failed ? .failed : .passed
            }
            if case .notRun = status, options.diverges != nil { status = .diverged(reason: options.diverges ?? "") }
            blocks.append(BlockOutcome(index: index, line: block.openingLine, heading: block.heading, status: status,
                                       commands: commands, duration: clock.now - blockStart))
        }
        let failed = blocks.contains { block in
            switch block.status {
            case .failed, .notRun: return true
            case .nowConforms: return settings.strict
            default: return false
            }
        }
        return FileOutcome(path: path, status: failed || !errors.isEmpty ? .failed : .passed, blocks: blocks, errors: errors,
                           keptDirectory: settings.keepTemp ? directory : nil, engine: engineInfo, transcript: transcript)
    }

    func skippedBlocks(_ transcript: Transcript, _ skips: [String?]) -> [BlockOutcome] {
        transcript.blocks.enumerated().map { index, block in
            BlockOutcome(index: index, line: block.openingLine, heading: block.heading, status: .skipped(reason: skips[index] ?? "skip"))
        }
    }

    /// The bytes the matcher compares: what was kept of the output (head, then tail when cut).
    func combinedOutput(_ result: CommandResult) -> [UInt8] {
        result.output
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
