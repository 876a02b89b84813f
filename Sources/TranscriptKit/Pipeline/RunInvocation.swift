import Foundation

/// One invocation of `transcript run`: discovery, the run itself, the report and the exit status.
package enum RunInvocation {
    /// Runs every transcript under `paths` and returns the exit status.
    package static func run(paths: [String], settings: RunSettings, engines: EngineSet? = nil) -> Int32 {
        var settings = settings
        let style = Style.detect(environment: settings.environment, choice: settings.color)
        let primary = makeReport(settings.format, sink: ReportSink(stream: .standardOutput), settings: settings, style: style)
        var reports: [any Report] = [primary]
        var fileSinks: [ReportSink] = []
        for (format, path) in settings.reports {
            if let problem = ReportSink.problem(writing: path) {
                OutputStream.standardError.write("transcript: \(problem)\n")
                return 2
            }
            let sink = ReportSink(path: path)
            fileSinks.append(sink)
            reports.append(makeReport(format, sink: sink, settings: settings))
        }
        let files: [String]
        switch targets(paths, settings: &settings) {
        case .failure(let diagnostics):
            for item in diagnostics.items { OutputStream.standardError.write("transcript: " + item.description + "\n") }
            closeEarly(reports, outcomes: invalidOutcomes(diagnostics), settings: settings)
            return 2
        case .success(let found):
            files = found.files
            // A shard that got no file is no mistake: the run as a whole selected some.
            if files.isEmpty && !found.otherShards {
                OutputStream.standardError.write("transcript: nothing to run: \(nothingSelected(paths, settings: settings))\n")
                closeEarly(reports, outcomes: [], settings: settings)
                return Summary.nothingSelected
            }
        }
        let own = EngineSet(mode: settings.engine, environment: settings.environment)
        let provider = engines ?? own
        Interruption.install()
        if settings.verbose {
            // On the report's stream, unless a machine format owns it.
            let line = "transcript: each file's processes are kept in \(ProcessContainment.description)\n"
            (settings.format.endsWithSummary ? OutputStream.standardOutput : OutputStream.standardError).write(line)
        }
        let engineCleanup = Interruption.register { own.stopAll() }
        defer { Interruption.unregister(engineCleanup) }
        defer { own.finish() }
        let fileRunner = FileRunner(settings: settings, configurations: ConfigurationResolver(), engines: provider, observer: primary.observer)
        let runner = Runner(fileRunner: fileRunner, jobs: settings.jobs, failFast: settings.failFast)
        let jobs = fileRunner.jobs(for: files)
        primary.start(total: jobs.count, environment: settings.environment)
        let allReports = reports
        let outcomes = runner.run(jobs: jobs) { outcome in
            for report in allReports { report.add(outcome) }
        }
        let summary = Summary(outcomes)
        LastFailed.record(outcomes)
        for report in reports { report.finish(summary) }
        let unwritten = fileSinks.compactMap(\.failure)
        for problem in unwritten { OutputStream.standardError.write("transcript: \(problem)\n") }
        if !settings.format.endsWithSummary {
            // Machine formats own standard output; the closing line still ends the run's output.
            OutputStream.standardError.write(summary.line + "\n")
        }
        return unwritten.isEmpty ? summary.exitCode : 2
    }

    /// The files a run covers: `paths` (or, with `--last-failed`, what failed last time under
    /// them), `file.md:LINE` arguments taken apart into `settings.lines`, discovery, sharding
    /// and `--filter`. A line that no block holds is bad input.
    static func targets(_ paths: [String], settings: inout RunSettings) -> Result<(files: [String], otherShards: Bool), Diagnostics> {
        var paths = paths
        if let scope = settings.lastFailed {
            if let failed = LastFailed.load(under: scope) {
                paths = failed
            } else {
                OutputStream.standardError.write("transcript: --last-failed: the last run left no failure under \(scope.joined(separator: " ")); running everything\n")
            }
        }
        let (plain, lines) = LineArguments.split(paths)
        settings.lines.merge(lines) { $0.union($1) }
        let problems = LineArguments.check(lines)
        if !problems.isEmpty { return .failure(Diagnostics(problems)) }
        let settled = settings
        return discover(plain, settings: &settings).map { found in
            let files = select(found, settings: settled)
            var unsharded = settled
            unsharded.shard = nil
            return (files, files.isEmpty && settled.shard != nil && !select(found, settings: unsharded).isEmpty)
        }
    }

    /// Ends the reports of a run that stops before running anything: machine formats get the
    /// input errors as bad-input files (a JUnit error, a JSON `file_end` with its errors, a TAP
    /// `not ok`), so that each stays a valid document; the human report has said them already
    /// on standard error. The closing line ends the output as in every run, with the same counts
    /// as the machine formats (a path that does not exist is a bad-input file).
    static func closeEarly(_ reports: [any Report], outcomes: [FileOutcome], settings: RunSettings) {
        let summary = Summary(outcomes)
        for (index, report) in reports.enumerated() {
            let isHuman = index == 0 && settings.format == .pretty
            if !isHuman { outcomes.forEach(report.add) }
            report.finish(summary)
        }
        if !settings.format.endsWithSummary { OutputStream.standardError.write(summary.line + "\n") }
    }

    /// Ends a `run` whose command line was refused before it started: with `--format` a machine
    /// format (as far as the arguments say), standard output gets that format's document with
    /// the error as a bad-input entry named "command line", and standard error the closing line;
    /// otherwise standard output gets the closing line alone.
    /// The refused command line counts as one bad input, in every format alike.
    package static func refuseCommandLine(_ message: String, arguments: [String]) {
        let error = Diagnostic(file: "command line", line: 1, column: 1, message: String(message.prefix { $0 != "\n" }))
        let refused = FileOutcome(path: "command line", status: .invalid, diagnostics: [error])
        let named = zip(arguments, arguments.dropFirst()).first { $0.0 == "--format" }?.1
            ?? arguments.first { $0.hasPrefix("--format=") }.map { String($0.dropFirst("--format=".count)) }
        guard let name = named, let format = try? ReportFormat.parse(format: name), format != .pretty else {
            OutputStream.standardOutput.write(Summary([refused]).line + "\n")
            return
        }
        var settings = RunSettings()
        settings.format = format
        let report = makeReport(format, sink: ReportSink(stream: .standardOutput), settings: settings)
        closeEarly([report], outcomes: [refused], settings: settings)
    }

    /// One bad-input outcome per file that the diagnostics name, in their order.
    static func invalidOutcomes(_ diagnostics: Diagnostics) -> [FileOutcome] {
        var order: [String] = []
        var byFile: [String: [Diagnostic]] = [:]
        for item in diagnostics.items {
            if byFile[item.file] == nil { order.append(item.file) }
            byFile[item.file, default: []].append(item)
        }
        return order.map { FileOutcome(path: $0, status: .invalid, diagnostics: byFile[$0] ?? []) }
    }

    /// Why a run has nothing to run, for its message.
    static func nothingSelected(_ paths: [String], settings: RunSettings) -> String {
        let named = paths.joined(separator: " ")
        if settings.filter != nil { return "--filter matches no file and no block heading under \(named)" }
        return "no transcript under \(named)"
    }

    /// The files under `paths`: through the sidecar when the run has one (which it loads into
    /// `settings`), else by plain discovery.
    package static func discover(_ paths: [String], settings: inout RunSettings) -> Result<[String], Diagnostics> {
        guard let directory = settings.sidecarDirectory else { return Discovery.files(for: paths) }
        switch Sidecar.discover(directory: directory, paths: paths) {
        case .failure(let diagnostics):
            return .failure(diagnostics)
        case .success(let (sidecar, files)):
            settings.sidecar = sidecar
            return .success(files)
        }
    }

    /// The discovered files this run covers, after sharding and `--filter`.
    package static func select(_ files: [String], settings: RunSettings) -> [String] {
        files.filter { path in
            if let shard = settings.shard, !Selection.inShard(path, index: shard.index, total: shard.total) { return false }
            guard let filter = settings.filter else { return true }
            if filter.matches(path) { return true }
            let transcript = (try? SourceFile.read(path: path)).flatMap { try? DocumentFormats.parse($0) }
            return Selection.selects(filter, path: path, transcript: transcript)
        }
    }

    /// `transcript list`: files and their blocks with line and options, without running anything;
    /// each file gets the check `run` makes before running, and one that fails it makes the exit status 2.
    package static func list(paths: [String], settings: RunSettings) -> Int32 {
        var settings = settings
        let files: [String]
        switch discover(paths, settings: &settings) {
        case .failure(let diagnostics):
            for item in diagnostics.items { OutputStream.standardError.write("transcript: " + item.description + "\n") }
            return 2
        case .success(let found):
            files = select(found, settings: settings)
        }
        let style = Style.detect(environment: settings.environment, choice: settings.color)
        var status: Int32 = 0
        // The check `run` makes before running (parse, sidecar overlay, compile); no engine is used.
        let checker = FileRunner(settings: settings, configurations: ConfigurationResolver(), engines: EngineSet(engines: []),
                                 observer: nil)
        for path in files {
            OutputStream.standardOutput.write(style.bold(path) + "\n")
            let parsed: Transcript
            switch checker.prepare(path: path) {
            case .failure(let diagnostics):
                OutputStream.standardOutput.write(diagnostics.items.map { "  " + $0.description }.joined(separator: "\n") + "\n")
                status = 2
                continue
            case .success(let plan):
                parsed = plan.transcript
            }
            for block in parsed.blocks {
                if let filter = settings.filter, !Selection.keeps(filter, block: block, path: path) { continue }
                var line = "  \(block.origin ?? path):\(block.openingLine)"
                line += block.isHidden ? " hidden" : ""
                line += " \(block.commands.count) command\(block.commands.count == 1 ? "" : "s")"
                if let heading = block.heading { line += " \"\(heading)\"" }
                let options = block.options.merged(over: parsed.fileOptions).summary
                if !options.isEmpty { line += " " + style.dim("[\(options)]") }
                OutputStream.standardOutput.write(line + "\n")
            }
        }
        return status
    }

    /// A report of `format` writing to `sink`, from the registry of report formats.
    static func makeReport(_ format: ReportFormat, sink: ReportSink, settings: RunSettings, style: Style = Style(color: false)) -> any Report {
        format.makeReport(ReportContext(sink: sink, settings: settings, style: style))
    }

    /// Prints the named patterns: the built-in table and those of the nearest transcript.toml.
    package static func printPatterns(directory: String) -> Int32 {
        let resolver = ConfigurationResolver()
        do {
            let configuration = try resolver.configuration(forDirectory: absolute(directory))
            let library = try resolver.patternLibrary(for: configuration)
            let width = library.patterns.map(\.name.count).max() ?? 0
            for pattern in library.patterns {
                let name = pattern.name.padding(toLength: width, withPad: " ", startingAt: 0)
                OutputStream.standardOutput.write("\(name)  \(pattern.regex)\n")
            }
            return 0
        } catch {
            OutputStream.standardError.write(error.description + "\n")
            return 2
        }
    }
}
