/// A matrix run's document in the HTML page: each block once, its verdict on every engine in its
/// summary line, and each command with the documented text and every engine's output side by side.
extension ConformanceReport {
    /// One document run on several engines.
    func matrixHTML(_ runs: [FileOutcome], anchor: String) -> String {
        var text = ""
        for run in runs {
            if case .skipped(let reason) = run.status, run.blocks.isEmpty {
                text += "<p class=\"skipped-file\">Skipped (\(xml(columnName(run)))): \(xml(reason))</p>\n"
            }
            for error in run.errors { text += "<pre class=\"problem\">\(xml(columnName(run))): \(xml(error))</pre>\n" }
        }
        for index in documentedIndices(runs) { text += matrixBlockHTML(index, runs: runs, anchor: anchor) }
        return text
    }

    /// Block `index` on every engine: the commands the engines part on from the page first.
    func matrixBlockHTML(_ index: Int, runs: [FileOutcome], anchor: String) -> String {
        guard let (run, block) = runs.lazy.compactMap({ run in run.blocks.first { $0.index == index }.map { (run, $0) } }).first else { return "" }
        var summary = ""
        var verdicts = Set<Verdict>()
        for run in runs {
            let (verdict, note) = verdict(of: index, in: run)
            verdicts.insert(verdict)
            summary += badge("\(columnName(run)): \(verdict.rawValue)", verdict) + " "
            if let note { summary += "<span class=\"note\">\(xml(note))</span> " }
        }
        summary += blockLink(block, in: run)
        let differing = Set(commandLines(block: index, runs: runs, all: false).map(\.line))
        let tables = commandLines(block: index, runs: runs, all: true).map { command in
            (differs: differing.contains(command.line), html: matrixCommandTable(command, block: block, runs: runs))
        }
        return blockDetails(verdicts: verdicts, id: "\(anchor)-b\(index)", summary: summary, tables: tables)
    }

    /// One command on every engine: the documented lines, then a column per engine.
    func matrixCommandTable(_ command: (line: Int, text: String), block: BlockOutcome, runs: [FileOutcome]) -> String {
        guard let document = runs.first else { return "" }
        let path = block.path(in: document)
        let renderer = documentedRenderer(document, block: block.index)
        var text = "<table class=\"sbs\"><colgroup><col class=\"ln\"/>" + String(repeating: "<col/>", count: runs.count + 1) + "</colgroup>\n"
        text += commandHeader(command.text, cell: lineCell(command.line, path: path, in: document), columns: runs.count + 1)
        text += "<tr><th></th><th>documented</th>" + runs.map { "<th>\(xml(columnName($0)))</th>" }.joined() + "</tr>\n"
        let documented = documentedColumn(line: command.line, block: block.index, runs: runs)
        let actual = runs.map { actualColumn(line: command.line, block: block.index, in: $0) }
        for row in 0..<max(documented.count, actual.map(\.count).max() ?? 0) {
            text += "<tr>" + lineCell(documented[safe: row]?.line, path: path, in: document)
                + "<td>\(documented[safe: row].map { renderer.html($0.text) } ?? "")</td>"
            for column in actual {
                let differs = column[safe: row]?.1 ?? false
                text += "<td\(differs ? " class=\"diff\"" : "")>\(xml(column[safe: row]?.0 ?? ""))</td>"
            }
            text += "</tr>\n"
        }
        return text + "</table>\n"
    }
}
