import Foundation

/// GitHub Actions workflow commands: `::error` at the Markdown line of the first mismatching
/// expected line, `::warning` for known divergences, and a Markdown job summary appended to
/// `$GITHUB_STEP_SUMMARY` when it is set.
package final class GitHubReport: Report, @unchecked Sendable {
    let sink: ReportSink
    let summaryPath: String?
    private var rows: [String] = []

    package init(sink: ReportSink, environment: [String: String]) {
        self.sink = sink
        self.summaryPath = environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    package func add(_ outcome: FileOutcome) {
        var text = ""
        switch outcome.status {
        case .invalid:
            for d in outcome.diagnostics {
                text += "::error file=\(property(d.file)),line=\(max(d.line, 1)),col=\(max(d.column, 1)),title=\(property("bad input"))::\(data(d.message + "\n" + d.notes.joined(separator: "\n")))\n"
            }
            rows.append("| `\(outcome.label)` | :x: bad input | |")
        case .skipped(let reason):
            rows.append("| `\(outcome.label)` | skipped | \(cell(reason)) |")
        case .passed, .failed:
            for error in outcome.errors {
                text += "::error file=\(property(outcome.path)),title=\(property(onEngine("transcript error", outcome)))::\(data(error))\n"
            }
            for block in outcome.testBlocks {
                switch block.status {
                case .failed, .notRun:
                    let line = ReportText.failureLine(block)
                    let command = block.commands.first { $0.status != .passed }
                    let title = onEngine("$ ", outcome) + (command?.text.split(separator: "\n").first.map(String.init) ?? "")
                    text += "::error file=\(property(block.path(in: outcome))),line=\(line),title=\(property(title))::\(data(ReportText.details(block, outcome)))\n"
                case .diverged(let reason):
                    text += "::warning file=\(property(block.path(in: outcome))),line=\(block.line),title=\(property(onEngine("known divergence: ", outcome) + reason))::\(data(ReportText.details(block, outcome)))\n"
                case .nowConforms(let reason):
                    text += "::notice file=\(property(block.path(in: outcome))),line=\(block.line),title=\(property(onEngine("now conforms", outcome)))::\(data("marked diverges=\"\(reason)\" but every command matched"))\n"
                default: break
                }
            }
            let failed = outcome.testBlocks.filter { if case .failed = $0.status { return true }; return false }.count
            let diverged = outcome.testBlocks.filter { if case .diverged = $0.status { return true }; return false }.count
            let passed = outcome.testBlocks.filter { if case .passed = $0.status { return true }; return false }.count
            let verdict = outcome.status == .passed ? ":white_check_mark: passed" : ":x: failed"
            rows.append("| `\(outcome.label)` | \(verdict) | \(passed) conform, \(failed) fail, \(diverged) diverge |")
        }
        sink.write(text)
    }

    package func finish(_ summary: Summary) {
        sink.write(summary.line + "\n")
        sink.close()
        guard let summaryPath else { return }
        var text = "## transcript\n\n\(summary.line)\n\n| file | result | blocks |\n| --- | --- | --- |\n"
        text += rows.map { $0 + "\n" }.joined()
        if let handle = FileHandle(forWritingAtPath: summaryPath) {
            handle.seekToEndOfFile()
            handle.write(Data((text + "\n").utf8))
            handle.closeFile()
        } else {
            FileManager.default.createFile(atPath: summaryPath, contents: Data(text.utf8))
        }
    }

    /// An annotation's title, after `[ENGINE] ` in a matrix run.
    func onEngine(_ title: String, _ outcome: FileOutcome) -> String {
        (outcome.matrixEngine.map { "[\($0)] " } ?? "") + title
    }

    /// Escaping for the message part of a workflow command.
    func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escaping for a property value (file, title).
    func property(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
