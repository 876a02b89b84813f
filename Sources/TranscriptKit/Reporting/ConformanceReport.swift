import Foundation

/// The maintainer's question, "which documented behaviour still holds?", answered per document
/// and per session block: conforms, diverges (with its reason), fails or skipped, with the
/// documented and the actual output side by side and the differing lines marked. Markdown, or
/// one self-contained HTML page (no external assets) that prints well.
package final class ConformanceReport: Report, @unchecked Sendable {
    /// The kind of page written.
    package enum Page: Sendable { case markdown, html }

    let sink: ReportSink
    let page: Page
    private(set) var documents: [FileOutcome] = []

    package init(sink: ReportSink, page: Page) {
        self.sink = sink
        self.page = page
    }

    package func add(_ outcome: FileOutcome) {
        documents.append(outcome)
    }

    package func finish(_ summary: Summary) {
        sink.write(page == .html ? html(summary) : markdown(summary))
        sink.close()
    }

    enum Verdict: String {
        case conforms, diverges, fails, skipped, invalid = "bad input"
    }

    /// The blocks that document something: hidden sessions (setup) count only when they fail.
    func documented(_ document: FileOutcome) -> [BlockOutcome] {
        document.blocks.filter { block in
            guard document.transcript?.blocks[safe: block.index]?.isHidden == true else { return true }
            return verdict(block).0 == .fails
        }
    }

    func verdict(_ block: BlockOutcome) -> (Verdict, String?) {
        switch block.status {
        case .passed: return (.conforms, nil)
        case .nowConforms(let reason): return (.conforms, "marked diverges: \(reason)")
        case .diverged(let reason): return (.diverges, reason)
        case .failed, .notRun: return (.fails, nil)
        case .skipped(let reason): return (.skipped, reason)
        }
    }

    /// Counts of block verdicts over every document.
    func totals() -> [Verdict: Int] {
        var counts: [Verdict: Int] = [:]
        for document in documents {
            if case .invalid = document.status { counts[.invalid, default: 0] += 1; continue }
            if case .skipped = document.status, document.blocks.isEmpty { counts[.skipped, default: 0] += 1; continue }
            for block in documented(document) { counts[verdict(block).0, default: 0] += 1 }
        }
        return counts
    }

    /// Rows of a side-by-side view: documented text, actual text, whether they differ.
    func sideBySide(_ command: CommandOutcome, block: SessionBlock?) -> [(String?, String?, Bool)] {
        if let match = command.match, !match.passed, !match.diff.isEmpty {
            var rows: [(String?, String?, Bool)] = []
            var pendingLeft: [String] = [], pendingRight: [String] = []
            func flush() {
                for i in 0..<max(pendingLeft.count, pendingRight.count) {
                    rows.append((i < pendingLeft.count ? pendingLeft[i] : nil, i < pendingRight.count ? pendingRight[i] : nil, true))
                }
                pendingLeft.removeAll(); pendingRight.removeAll()
            }
            for line in match.diff {
                switch line.kind {
                case .same: flush(); rows.append((line.text, line.text, false))
                case .expected: pendingLeft.append(line.text)
                case .actual: pendingRight.append(line.text)
                case .omitted: flush(); rows.append(("[\(line.text)]", "[\(line.text)]", false))
                }
            }
            flush()
            return rows
        }
        let documented = block?.commands.first { $0.line == command.line }?.expected.map(\.text) ?? []
        var actual = command.result.map { String(decoding: $0.output, as: UTF8.self) } ?? ""
        if actual.hasSuffix("\n") { actual.removeLast() }
        var actualLines = actual.isEmpty ? [] : actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A long output that matched is shown up to the bound a diff has, and how much more there was.
        let bounds = DiffBounds()
        if actualLines.count > max(documented.count, bounds.maximumChanges) {
            let left = actualLines.count - max(documented.count, bounds.maximumChanges)
            actualLines.removeLast(left)
            actualLines.append("[\(left) more lines of output not shown]")
        }
        return (0..<max(documented.count, actualLines.count)).map { i in
            (i < documented.count ? documented[i] : nil, i < actualLines.count ? bounds.shortened(actualLines[i]) : nil, false)
        }
    }

    /// The block's line, with its file when the lines are not the document's (a sidecar's session).
    func lineName(_ block: BlockOutcome) -> String {
        block.origin.map { "\($0):\(block.line)" } ?? "\(block.line)"
    }

    // MARK: Markdown

    func markdown(_ summary: Summary) -> String {
        var text = "# Conformance report\n\n"
        for engine in engineLines() { text += engine + "\n\n" }
        let counts = totals()
        if matrixEngines().isEmpty {
            text += "| verdict | blocks |\n| --- | --- |\n"
            for v in [Verdict.conforms, .diverges, .fails, .skipped, .invalid] where counts[v, default: 0] > 0 || v == .conforms {
                text += "| \(v.rawValue) | \(counts[v, default: 0]) |\n"
            }
        } else {
            text += matrixTotalsMarkdown()
        }
        text += "\n\(summary.line)\n"
        for runs in runsByDocument() {
            guard let document = runs.first else { continue }
            text += "\n## \(document.path)\n\n"
            if document.matrixEngine != nil {
                text += matrixMarkdown(runs)
                continue
            }
            switch document.status {
            case .invalid:
                text += "Bad input:\n\n```text\n" + document.diagnostics.map(\.description).joined(separator: "\n") + "\n```\n"
                continue
            case .skipped(let reason) where document.blocks.isEmpty:
                text += "Skipped: \(reason)\n"
                continue
            default: break
            }
            for error in document.errors { text += "Error: \(error)\n\n" }
            text += "| line | section | verdict | note |\n| --- | --- | --- | --- |\n"
            for block in documented(document) {
                let (v, note) = verdict(block)
                text += "| \(lineName(block)) | \(cell(block.heading ?? "")) | \(v.rawValue) | \(cell(note ?? "")) |\n"
            }
            for block in documented(document) where verdict(block).0 == .fails || verdict(block).0 == .diverges {
                let source = document.transcript?.blocks[safe: block.index]
                text += "\n### Line \(lineName(block)): \(verdict(block).0.rawValue)\n"
                for command in block.commands where command.status == .failed {
                    text += "\n`$ \(command.text.split(separator: "\n").first.map(String.init) ?? "")` (line \(command.line))\n\n"
                    text += "| documented | actual |\n| --- | --- |\n"
                    for (left, right, differs) in sideBySide(command, block: source) {
                        let l = left.map { "`\(cell($0))`" } ?? "", r = right.map { "`\(cell($0))`" } ?? ""
                        text += differs ? "| **\(l.isEmpty ? "—" : l)** | **\(r.isEmpty ? "—" : r)** |\n" : "| \(l) | \(r) |\n"
                    }
                    if command.exitMismatch, let result = command.result {
                        text += "\nExit status: documented \(command.expectedExit ?? 0), actual \(result.exitStatus).\n"
                    }
                }
            }
        }
        return text
    }

    func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'") }

    // MARK: HTML

    func html(_ summary: Summary) -> String {
        var body = "<h1>Conformance report</h1>\n"
        for engine in engineLines() { body += "<p class=\"engine\">\(xml(engine))</p>\n" }
        body += "<table class=\"totals\"><tr>" + totalsCells(totals()) + "</tr></table>\n"
        if !matrixEngines().isEmpty { body += matrixTotalsHTML() }
        body += "<p>\(xml(summary.line))</p>\n"
        for runs in runsByDocument() {
            guard let document = runs.first else { continue }
            body += "<div class=\"document\"><h2>\(xml(document.path))</h2>\n"
            if document.matrixEngine != nil {
                body += matrixHTML(runs) + "</div>\n"
                continue
            }
            switch document.status {
            case .invalid:
                body += "<pre class=\"fails\">\(xml(document.diagnostics.map(\.description).joined(separator: "\n")))</pre></div>\n"
                continue
            case .skipped(let reason) where document.blocks.isEmpty:
                body += "<p class=\"skipped\">Skipped: \(xml(reason))</p></div>\n"
                continue
            default: break
            }
            for error in document.errors { body += "<pre class=\"fails\">\(xml(error))</pre>\n" }
            for block in documented(document) {
                let (v, note) = verdict(block)
                let source = document.transcript?.blocks[safe: block.index]
                body += "<div class=\"block\"><h3><span class=\"badge \(v.rawValue)\">\(v.rawValue)</span> line \(xml(lineName(block)))"
                if let heading = block.heading { body += " · \(xml(heading))" }
                body += "</h3>\n"
                if let note { body += "<p class=\"note\">\(xml(note))</p>\n" }
                for command in block.commands where command.status != .notRun || v == .fails {
                    body += "<table class=\"sbs\"><tr><th colspan=\"2\" class=\"cmd\">$ \(xml(command.text))</th></tr>"
                    body += "<tr><th>documented</th><th>actual</th></tr>\n"
                    for (left, right, differs) in sideBySide(command, block: source) {
                        let cls = differs ? " class=\"diff\"" : ""
                        body += "<tr\(cls)><td>\(xml(left ?? ""))</td><td>\(xml(right ?? ""))</td></tr>\n"
                    }
                    if command.exitMismatch, let result = command.result {
                        body += "<tr class=\"diff\"><td>[exit \(command.expectedExit ?? 0)]</td><td>[exit \(result.exitStatus)]</td></tr>\n"
                    }
                    if command.status == .notRun {
                        body += "<tr class=\"diff\"><td colspan=\"2\">not run</td></tr>\n"
                    }
                    body += "</table>\n"
                }
                body += "</div>\n"
            }
            body += "</div>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Conformance report</title>
        <style>
        \(Self.stylesheet)
        </style></head><body>
        \(body)</body></html>

        """
    }

    /// A table cell per verdict with its count, for the HTML totals.
    func totalsCells(_ counts: [Verdict: Int]) -> String {
        [Verdict.conforms, .diverges, .fails, .skipped, .invalid].map { v in
            "<td class=\"\(v == .invalid ? "invalid" : v.rawValue)\"><b>\(counts[v, default: 0])</b> \(v.rawValue)</td>"
        }.joined()
    }

    /// The page's stylesheet: self-contained, and blocks kept whole when printed.
    static let stylesheet = """
    body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
    h2{border-bottom:1px solid #ccc;margin-top:2em}
    table{border-collapse:collapse;margin:.5em 0}
    .totals td{padding:.3em 1em;border:1px solid #ccc}
    .sbs{width:100%;table-layout:fixed;font:12px/1.3 ui-monospace,monospace}
    .sbs td,.sbs th{border:1px solid #ddd;padding:1px 6px;white-space:pre-wrap;word-break:break-all;vertical-align:top;text-align:left}
    .sbs .cmd{background:#f4f4f4}
    tr.diff td,td.diff{background:#fde2e2}
    .badge{font-size:12px;padding:1px 6px;border-radius:3px;color:#fff}
    .conforms{background:#2a7d2a;color:#fff}.diverges{background:#b07b00;color:#fff}
    .fails{background:#b02a2a;color:#fff}.skipped{background:#777;color:#fff}.invalid{background:#6a1b9a;color:#fff}
    pre.fails{padding:.5em}
    @media print{body{margin:0}.block{break-inside:avoid}}
    """
}

extension Array {
    subscript(safe index: Int) -> Element? {
        index >= 0 && index < count ? self[index] : nil
    }
}
