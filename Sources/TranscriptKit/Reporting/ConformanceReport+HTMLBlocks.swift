/// A file's blocks in the HTML page: a `<details>` per block whose summary line holds the
/// verdict, the block's line (linked to its source), its heading and note; inside, the commands
/// that part from the page first, each a table with the documented and the actual output side by
/// side, and the commands that went as documented folded under them.
extension ConformanceReport {
    /// A file run once: its problems, or its blocks.
    func singleRunHTML(_ document: FileOutcome, anchor: String) -> String {
        switch document.status {
        case .invalid:
            return "<pre class=\"problem\">\(xml(document.diagnostics.map(\.description).joined(separator: "\n")))</pre>\n"
        case .skipped(let reason) where document.blocks.isEmpty:
            return "<p class=\"skipped-file\">Skipped: \(xml(reason))</p>\n"
        default:
            var text = document.errors.map { "<pre class=\"problem\">\(xml($0))</pre>\n" }.joined()
            for block in documented(document) { text += blockHTML(block, in: document, anchor: anchor) }
            return text
        }
    }

    /// One block of a file run once.
    func blockHTML(_ block: BlockOutcome, in document: FileOutcome, anchor: String) -> String {
        let (verdict, note) = verdict(block)
        var summary = badge(verdict.rawValue, verdict) + " " + blockLink(block, in: document)
        if let note { summary += " <span class=\"note\">\(xml(note))</span>" }
        let commands = block.commands.filter { $0.status != .notRun || verdict == .fails }
        let tables = commands.map { (differs: $0.status != .passed, html: commandTable($0, block: block, in: document)) }
        return blockDetails(verdicts: [verdict], id: "\(anchor)-b\(block.index)", summary: summary, tables: tables)
    }

    /// A block's `<details>`: open where it fails (a known divergence is folded, its reason on
    /// its summary line, as it is no news), and where it fails or diverges with the commands
    /// that went as documented folded under those that did not.
    func blockDetails(verdicts: Set<Verdict>, id: String, summary: String, tables: [(differs: Bool, html: String)]) -> String {
        let isIssue = !verdicts.isDisjoint(with: [.fails, .diverges])
        let classes = verdicts.map(\.rawValue).sorted().joined(separator: " ")
        let opens = verdicts.contains(.fails)
        var text = "<details class=\"block \(classes)\" id=\"\(id)\"\(opens ? " open=\"open\"" : "")><summary>\(summary)</summary>\n"
        let differing = tables.filter(\.differs)
        guard isIssue, !differing.isEmpty, differing.count < tables.count else {
            return text + tables.map(\.html).joined() + "</details>\n"
        }
        text += differing.map(\.html).joined()
        let rest = tables.count - differing.count
        text += "<details class=\"more\"><summary>\(rest) more command\(rest == 1 ? "" : "s") as documented</summary>\n"
        return text + tables.filter { !$0.differs }.map(\.html).joined() + "</details>\n</details>\n"
    }

    /// A verdict's badge.
    func badge(_ text: String, _ verdict: Verdict) -> String {
        "<span class=\"badge \(verdict.rawValue)\">\(xml(text))</span>"
    }

    /// The block's line linked to its source, and its heading.
    func blockLink(_ block: BlockOutcome, in document: FileOutcome) -> String {
        let url = link(block.path(in: document), line: block.line, in: document)
        return "<a class=\"line\" href=\"\(xml(url))\">line \(xml(lineName(block)))</a>"
            + (block.heading.map { " · <span class=\"heading\">\(xml($0))</span>" } ?? "")
    }

    /// How the documented lines of block `index` of `document` are shown.
    func documentedRenderer(_ document: FileOutcome, block index: Int) -> DocumentedLineHTML {
        DocumentedLineHTML(library: document.plan?.library,
                           readsPlaceholders: document.plan.map { $0.options[safe: index]?.dialect == nil } ?? true)
    }

    /// One command of a file run once: the line number, the documented and the actual output.
    func commandTable(_ command: CommandOutcome, block: BlockOutcome, in document: FileOutcome) -> String {
        let path = block.path(in: document)
        let source = document.transcript?.blocks[safe: block.index]
        let renderer = documentedRenderer(document, block: block.index)
        var text = "<table class=\"sbs\"><colgroup><col class=\"ln\"/><col/><col/></colgroup>\n"
        text += commandHeader(command.text, cell: lineCell(command.line, path: path, in: document), columns: 2)
        text += "<tr><th></th><th>documented</th><th>actual</th></tr>\n"
        for row in sideBySide(command, block: source, exact: isExact(block, in: document)) {
            if row.isNote {
                text += "<tr class=\"gap\"><td></td><td colspan=\"2\">\(xml(row.documented ?? ""))</td></tr>\n"
                continue
            }
            text += "<tr\(row.differs ? " class=\"diff\"" : "")>" + lineCell(row.line, path: path, in: document)
                + "<td>\(row.documented.map(renderer.html) ?? "")</td><td>\(xml(row.actual ?? ""))</td></tr>\n"
        }
        if let exit = exitRow(command, source: source) {
            text += "<tr\(exit.differs ? " class=\"diff\"" : "")>" + lineCell(exit.line, path: path, in: document)
                + "<td>\(xml(exit.documented))</td><td>\(xml(exit.actual))</td></tr>\n"
        }
        let notes = (command.status == .notRun ? ["not run"] : []) + command.messages
        for note in notes { text += "<tr class=\"diff\"><td></td><td colspan=\"2\" class=\"message\">\(xml(note))</td></tr>\n" }
        return text + "</table>\n"
    }

    /// A command's first row: its line and its text as the page shows it (`$ `, `> `).
    func commandHeader(_ command: String, cell: String, columns: Int) -> String {
        let shown = "$ " + command.replacingOccurrences(of: "\n", with: "\n> ")
        return "<tr class=\"cmd\">\(cell)<th colspan=\"\(columns)\">\(xml(shown))</th></tr>\n"
    }

    /// A line number linked to its source, or an empty cell.
    func lineCell(_ line: Int?, path: String, in document: FileOutcome) -> String {
        guard let line else { return "<td class=\"ln\"></td>" }
        return "<td class=\"ln\"><a href=\"\(xml(link(path, line: line, in: document)))\">\(line)</a></td>"
    }
}
