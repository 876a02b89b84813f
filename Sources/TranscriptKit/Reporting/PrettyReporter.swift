import Foundation

/// The human report: a PASS / FAIL / SKIP line per file with its time, and per failure the
/// command's `path:line`, a diff of expected against actual and the exit status where it differs.
package final class PrettyReporter: RunObserver, @unchecked Sendable {
    let out: ReportSink
    let style: Style
    let verbose: Bool
    let jobs: Int
    private let lock = NSLock()
    /// The engine kinds whose versions were shown (once each).
    private var enginesShown = Set<String>()
    /// Diagnostics of shared files (a `transcript.toml`) already shown under an earlier file.
    private var sharedShown: Set<Diagnostic> = []
    /// The lines of the files diagnostics point into, read once (nil: unreadable).
    private var sourceLines: [String: [String]?] = [:]
    /// `--durations N`, and each file's time as reported.
    let durations: Int?
    private var fileTimes: [(String, Duration)] = []
    /// The live progress line, when there is one.
    private var progress: ProgressLine?

    package init(out: ReportSink = ReportSink(stream: .standardOutput), style: Style, verbose: Bool, jobs: Int, durations: Int? = nil) {
        self.out = out
        self.style = style
        self.verbose = verbose
        self.jobs = jobs
        self.durations = durations
    }

    /// Shows a live progress line (redrawn in place) while `total` files run: only on a terminal,
    /// never under CI or with --verbose.
    package func startProgress(total: Int, environment: [String: String]) {
        guard style.terminal, !verbose, environment["CI"].map({ $0.isEmpty }) ?? true, total > 1 else { return }
        let line = ProgressLine(total: total, out: out)
        progress = line
        line.start()
    }

    package func fileStarted(path: String) {
        progress?.started(path)
    }

    package func fileFinished(_ outcome: FileOutcome) {
        progress?.finished(outcome.label)
    }

    // MARK: live events (verbose)

    package func commandStarted(path: String, line: Int, command: String) {
        guard verbose else { return }
        let prefix = "\(path):\(line): "
        let lines = command.split(separator: "\n", omittingEmptySubsequences: false)
        var text = style.cyan(prefix + "$ " + (lines.first.map(String.init) ?? "")) + "\n"
        for more in lines.dropFirst() { text += style.cyan("> " + more) + "\n" }
        out.write(text)
    }

    package func commandFinished(path: String, outcome: CommandOutcome) {
        guard verbose, let result = outcome.result else { return }
        // Each line as an expected line would say it: a carriage return or a colour code shows
        // as `(esc)` rather than moving the cursor over the report.
        // With files in parallel, every line says whose it is.
        let owner = jobs > 1 ? "\(path): " : ""
        var text = ""
        for line in ActualLine.split(result.output, exact: true) {
            text += owner + line.displayText + "\n"
        }
        text += style.dim(owner + "[exit \(result.exitStatus), \(formatDuration(result.duration))]") + "\n"
        out.write(text)
    }

    package func variableCaptured(path: String, name: String, value: String) {
        guard verbose else { return }
        out.write(style.dim("\(path): captured \(name)=\(value)") + "\n")
    }

    // MARK: results

    /// Prints one file's result (called in file order).
    package func report(_ outcome: FileOutcome) {
        lock.lock()
        fileTimes.append((outcome.label, outcome.duration))
        lock.unlock()
        let text = render(outcome)
        if let progress {
            progress.printAbove(text)
        } else {
            out.write(text)
        }
    }

    package func render(_ outcome: FileOutcome) -> String {
        var text = ""
        lock.lock()
        if let engine = outcome.engine, enginesShown.insert(engine.name).inserted {
            text += style.dim("\(engine.name) engine (\(engine.kind)): server \(engine.serverVersion), client \(engine.clientVersion)") + "\n"
        }
        lock.unlock()
        let time = "(\(String(format: "%.2fs", outcome.duration.seconds)))"
        switch outcome.status {
        case .passed:
            // A pass with known divergences is not all green.
            let pass = outcome.diverged > 0 ? style.yellow("PASS") : style.green("PASS")
            text += "\(pass) \(outcome.label) \(style.dim(time))\n"
        case .failed:
            text += "\(style.red("FAIL")) \(outcome.label) \(style.dim(time))\n"
        case .skipped(let reason):
            text += "\(style.yellow("SKIP")) \(outcome.label) \(style.dim("(\(reason))"))\n"
        case .invalid:
            text += "\(style.red("ERROR")) \(outcome.label)\n"
        }
        text += renderDiagnostics(outcome)
        for error in outcome.errors {
            text += indent(style.red("error: ") + error) + "\n"
        }
        if let kept = outcome.keptDirectory {
            text += indent("kept temporary directory: \(kept)") + "\n"
        }
        for block in outcome.testBlocks {
            switch block.status {
            case .failed, .notRun:
                if block.isSetup {
                    text += indent(style.red("setup failed") + " \(block.path(in: outcome)):\(block.line): a block before the selected ones") + "\n"
                }
                text += renderCommands(block, outcome: outcome)
            case .diverged(let reason):
                text += indent(style.yellow("known divergence") + " \(block.path(in: outcome)):\(block.line): \(reason)") + "\n"
                text += renderCommands(block, outcome: outcome)
            case .nowConforms(let reason):
                text += indent(style.yellow("now conforms") + " \(block.path(in: outcome)):\(block.line): marked diverges=\"\(reason)\" but every command matched") + "\n"
            case .skipped(let reason):
                if case .skipped = outcome.status { break }
                if reason != FileRunner.notSelected || verbose {
                    text += indent(style.yellow("skipped block") + " \(block.path(in: outcome)):\(block.line): \(reason)") + "\n"
                }
            case .passed:
                break
            }
        }
        return text
    }

    /// The file's input errors. An error of another file that many share (their
    /// `transcript.toml`) is shown in full once, and named under the files after.
    func renderDiagnostics(_ outcome: FileOutcome) -> String {
        var text = ""
        var repeated: [String] = []
        for diagnostic in outcome.diagnostics {
            let shared = diagnostic.file != outcome.path
            lock.lock()
            let seen = shared && !sharedShown.insert(diagnostic).inserted
            lock.unlock()
            if seen {
                if !repeated.contains(diagnostic.file) { repeated.append(diagnostic.file) }
            } else {
                text += indent(DiagnosticSnippet.render(diagnostic, lines: lines(of: diagnostic.file))) + "\n"
            }
        }
        for file in repeated {
            text += indent("\(file): the errors shown above") + "\n"
        }
        return text
    }

    /// The lines of `path` as diagnostics count them, or nil where it cannot be read as text.
    private func lines(of path: String) -> [String]? {
        lock.lock()
        defer { lock.unlock() }
        if let known = sourceLines[path] { return known }
        let read = try? SourceFile.read(path: path).lines
        sourceLines[path] = read
        return read
    }

    /// A failing or diverging block's commands, diffs and messages, indented under the file's line.
    func renderCommands(_ block: BlockOutcome, outcome: FileOutcome) -> String {
        DiffRendering(style: style).indentedText(block, path: block.path(in: outcome))
    }

    /// The closing lines: the slowest files (`--durations N`), then the totals.
    package func summary(_ summary: Summary) {
        progress?.stop()
        out.write(slowest() + summary.notes.map { style.yellow($0) + "\n" }.joined() + summary.line + "\n")
        out.close()
    }

    /// `--durations N`: the N slowest files, slowest first, with their times.
    func slowest() -> String {
        guard let durations, durations > 0 else { return "" }
        lock.lock()
        let times = fileTimes
        lock.unlock()
        let top = times.sorted { $0.1 > $1.1 }.prefix(durations)
        guard !top.isEmpty else { return "" }
        var text = "slowest \(top.count) file\(top.count == 1 ? "" : "s"):\n"
        for (path, duration) in top {
            text += "  " + String(format: "%7.2fs", duration.seconds) + "  \(path)\n"
        }
        return text
    }

    func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

extension PrettyReporter: Report {
    package func add(_ outcome: FileOutcome) { report(outcome) }
    package func finish(_ summary: Summary) { self.summary(summary) }
    package func start(total: Int, environment: [String: String]) { startProgress(total: total, environment: environment) }
    package var observer: (any RunObserver)? { self }
}
