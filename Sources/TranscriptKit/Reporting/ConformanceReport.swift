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
    /// Where each block's line links to.
    let links: SourceLinks
    private(set) var documents: [FileOutcome] = []

    package init(sink: ReportSink, page: Page) {
        self.sink = sink
        self.page = page
        links = SourceLinks(reportPath: sink.filePath)
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
        documents.reduce(into: [:]) { counts, document in counts.merge(self.counts(document), uniquingKeysWith: +) }
    }

    /// Counts of one run's block verdicts: a file with bad input, or skipped as a whole, counts once.
    func counts(_ document: FileOutcome) -> [Verdict: Int] {
        if case .invalid = document.status { return [.invalid: 1] }
        if case .skipped = document.status, document.blocks.isEmpty { return [.skipped: 1] }
        var counts: [Verdict: Int] = [:]
        for block in documented(document) { counts[verdict(block).0, default: 0] += 1 }
        return counts
    }

    /// One row of a command's side-by-side view.
    struct ComparedRow {
        /// The documented line as written (placeholders and all), nil where the page has none.
        var documented: String?
        /// The actual line as it would be written, nil where there is none.
        var actual: String?
        var differs = false
        /// The documented line's line in its file.
        var line: Int?
        /// A note of the report's (lines left out), the same on both sides.
        var isNote = false
    }

    /// Rows of a side-by-side view: each documented line beside the actual line it stands for.
    func sideBySide(_ command: CommandOutcome, block: SessionBlock?, exact: Bool = false) -> [ComparedRow] {
        if let match = command.match, !match.passed, !match.diff.isEmpty {
            return diffRows(match.diff, output: command.result?.output ?? [], exact: exact)
        }
        let documented = comparedLines(block?.commands.first { $0.line == command.line }?.expected ?? [], exact: exact)
        let actual = ActualLines(command.result?.output ?? [], exact: exact)
        // A long output that matched is shown up to the bound a diff has, and how much more there was.
        let bounds = DiffBounds()
        let shown = min(actual.count, max(documented.count, bounds.maximumChanges))
        let rows = (0..<max(documented.count, shown)).map { i in
            ComparedRow(documented: documented[safe: i]?.text, actual: i < shown ? bounds.shortened(actual[i].displayText) : nil,
                        line: documented[safe: i]?.line)
        }
        guard actual.count > shown else { return rows }
        let note = "[\(actual.count - shown) more lines of output not shown]"
        return rows + [ComparedRow(documented: note, actual: note, isNote: true)]
    }

    /// The expected lines that are compared: without blank lines at the ends unless `exact`.
    func comparedLines(_ lines: [ExpectedLine], exact: Bool) -> [ExpectedLine] {
        guard !exact else { return lines }
        let isBlank = { (line: ExpectedLine) in line.text.allSatisfy { $0 == " " || $0 == "\t" } }
        guard let first = lines.firstIndex(where: { !isBlank($0) }), let last = lines.lastIndex(where: { !isBlank($0) }) else { return [] }
        return Array(lines[first...last])
    }

    /// The rows of a diff: lines that matched beside the actual line they matched, the others
    /// paired up where they differ.
    func diffRows(_ diff: [DiffLine], output: [UInt8], exact: Bool) -> [ComparedRow] {
        let actualLines = ActualLines(output, exact: exact)
        var rows: [ComparedRow] = []
        var pendingLeft: [DiffLine] = [], pendingRight: [String] = []
        func flush() {
            for i in 0..<max(pendingLeft.count, pendingRight.count) {
                rows.append(ComparedRow(documented: pendingLeft[safe: i]?.text, actual: pendingRight[safe: i], differs: true, line: pendingLeft[safe: i]?.line))
            }
            pendingLeft.removeAll(); pendingRight.removeAll()
        }
        for line in diff {
            switch line.kind {
            case .same:
                flush()
                let actual = line.actualIndex.flatMap { $0 < actualLines.count ? actualLines[$0].displayText : nil }
                rows.append(ComparedRow(documented: line.text, actual: actual ?? line.text, line: line.line))
            case .expected: pendingLeft.append(line)
            case .actual: pendingRight.append(line.text)
            case .omitted: flush(); rows.append(ComparedRow(documented: "[\(line.text)]", actual: "[\(line.text)]", isNote: true))
            }
        }
        flush()
        return rows
    }

    /// Whether the block compares output exactly (`exact`), as its diff's line indices count.
    func isExact(_ block: BlockOutcome, in document: FileOutcome) -> Bool {
        document.plan?.options[safe: block.index]?.isExact ?? false
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
                    for row in sideBySide(command, block: source, exact: isExact(block, in: document)) {
                        let l = row.documented.map { "`\(cell($0))`" } ?? "", r = row.actual.map { "`\(cell($0))`" } ?? ""
                        text += row.differs ? "| **\(l.isEmpty ? "—" : l)** | **\(r.isEmpty ? "—" : r)** |\n" : "| \(l) | \(r) |\n"
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
}

extension Array {
    subscript(safe index: Int) -> Element? {
        index >= 0 && index < count ? self[index] : nil
    }
}
