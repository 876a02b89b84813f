/// The HTML page: one self-contained file (inline CSS, no script) for a docs team. At the top
/// the totals and a table of every file (a count per verdict, a group of columns per engine in
/// a matrix run), each row linked to the file's section; views that show failures and
/// divergences (the first view), failures only, divergences only or every block, made of radio
/// buttons and CSS alone; then a section per file, a `<details>` per block, open where the
/// block fails or diverges.
extension ConformanceReport {
    /// A view of the page: its id, its label, the verdicts whose blocks it shows (empty: all),
    /// and what it says when there are none.
    struct View {
        var id: String
        var label: String
        var shows: [Verdict]
        var none: String
    }

    /// The page's views, the first one shown when it opens.
    static let views = [
        View(id: "issues", label: "failures and divergences", shows: [.fails, .diverges], none: "No block fails or diverges."),
        View(id: "fails", label: "failures only", shows: [.fails], none: "No block fails."),
        View(id: "diverges", label: "divergences only", shows: [.diverges], none: "No block diverges."),
        View(id: "all", label: "all blocks", shows: [], none: ""),
    ]

    func html(_ summary: Summary) -> String {
        let groups = runsByDocument()
        var body = Self.views.enumerated().map { i, view in
            "<input type=\"radio\" name=\"view\" class=\"view\" id=\"view-\(view.id)\"\(i == 0 ? " checked=\"checked\"" : "")/>"
        }.joined() + "\n<header>\n<h1>Conformance report</h1>\n"
        for engine in engineLines() { body += "<p class=\"engine\">\(xml(engine))</p>\n" }
        body += "<p class=\"summary-line\">\(xml(summary.line))</p>\n"
        for note in summary.notes { body += "<p class=\"summary-note\">\(xml(note))</p>\n" }
        body += summaryTable(groups)
        body += "<nav class=\"views\">Show: " + Self.views.map { "<label for=\"view-\($0.id)\">\(xml($0.label))</label>" }.joined(separator: " ") + "</nav>\n"
        body += "</header>\n<main>\n" + emptyViewNotes(groups)
        for (number, runs) in groups.enumerated() { body += documentSection(runs, anchor: "doc-\(number + 1)") }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width"/>
        <title>Conformance report</title>
        <style>
        \(Self.stylesheet)
        \(Self.viewRules())
        </style></head><body>
        \(body)</main>
        </body></html>

        """
    }

    /// The CSS that makes the views work: in each, the files and blocks it does not show are
    /// hidden, except the file or block a link led to (`:target`).
    static func viewRules() -> String {
        views.map { view in
            let selected = "#view-\(view.id):checked ~"
            var rules = "\(selected) header label[for=\"view-\(view.id)\"]{background:#333;color:#fff;border-color:#333}"
            guard !view.shows.isEmpty else { return rules }
            let documents = view.shows.map { ":not(.has-\($0.rawValue))" }.joined()
            let blocks = view.shows.map { ":not(.\($0.rawValue))" }.joined()
            rules += "\n\(selected) main .document:not(:target)\(documents){display:none}"
            rules += "\n\(selected) main .document:not(:target) .block:not(:target)\(blocks){display:none}"
            rules += "\n\(selected) main .empty-\(view.id){display:block}"
            return rules
        }.joined(separator: "\n")
    }

    /// What a view says when it has nothing to show.
    func emptyViewNotes(_ groups: [[FileOutcome]]) -> String {
        let present = Set(groups.flatMap { verdictsPresent($0) })
        return Self.views.filter { !$0.shows.isEmpty && present.isDisjoint(with: $0.shows) }.map { view in
            "<p class=\"empty empty-\(view.id)\">\(xml(view.none)) <label for=\"view-all\">Show all blocks</label>.</p>\n"
        }.joined()
    }

    /// The verdicts a file's runs come to, bad input and errors counted as failures.
    func verdictsPresent(_ runs: [FileOutcome]) -> Set<Verdict> {
        var present = Set<Verdict>()
        for run in runs {
            for verdict in counts(run).keys { present.insert(verdict == .invalid ? .fails : verdict) }
            if !run.errors.isEmpty { present.insert(.fails) }
        }
        return present
    }

    // MARK: The summary table

    /// Every file with its counts of block verdicts, a group of columns per engine in a matrix
    /// run, each row linked to the file's section; the totals last.
    func summaryTable(_ groups: [[FileOutcome]]) -> String {
        let columns: [String?] = matrixEngines().isEmpty ? [nil] : totalsColumns()
        let verdicts: [Verdict] = [.conforms, .diverges, .fails, .skipped]
        let names = verdicts.map { "<th>\($0.rawValue)</th>" }.joined()
        var text = "<table class=\"summary\"><thead>"
        if columns == [nil] {
            text += "<tr><th class=\"file\">file</th>\(names)</tr>"
        } else {
            text += "<tr><th class=\"file\" rowspan=\"2\">file</th>"
                + columns.map { "<th colspan=\"\(verdicts.count)\" class=\"engine\">\(xml($0 ?? "no engine"))</th>" }.joined()
                + "</tr><tr>" + String(repeating: names, count: columns.count) + "</tr>"
        }
        text += "</thead>\n<tbody>\n"
        for (number, runs) in groups.enumerated() {
            guard let first = runs.first else { continue }
            let classes = verdictsPresent(runs).map { "has-" + $0.rawValue }.sorted().joined(separator: " ")
            text += "<tr class=\"\(classes)\"><th class=\"file\"><a href=\"#doc-\(number + 1)\">\(xml(first.path))</a></th>"
            for column in columns {
                text += countCells(runs.first { $0.matrixEngine == column }.map(counts), verdicts: verdicts)
            }
            text += "</tr>\n"
        }
        text += "</tbody>\n<tfoot><tr><th class=\"file\">all files</th>"
        for column in columns { text += countCells(columns == [nil] ? totals() : totals(on: column), verdicts: verdicts) }
        return text + "</tr></tfoot></table>\n"
    }

    /// The cells of one file's (or the totals') counts; a file not run there, or with bad input,
    /// says so across them.
    func countCells(_ counts: [Verdict: Int]?, verdicts: [Verdict]) -> String {
        guard let counts else { return "<td colspan=\"\(verdicts.count)\" class=\"count absent\">not run</td>" }
        if let invalid = counts[.invalid], counts.count == 1 {
            return "<td colspan=\"\(verdicts.count)\" class=\"count invalid\">bad input\(invalid > 1 ? " (\(invalid) files)" : "")</td>"
        }
        return verdicts.map { verdict in
            let count = counts[verdict, default: 0]
            return "<td class=\"count \(count == 0 ? "zero" : verdict.rawValue)\">\(count)</td>"
        }.joined()
    }

    // MARK: A file's section

    /// A file's section: its path (linked to its source), then its blocks.
    func documentSection(_ runs: [FileOutcome], anchor: String) -> String {
        guard let document = runs.first else { return "" }
        let classes = verdictsPresent(runs).map { "has-" + $0.rawValue }.sorted().joined(separator: " ")
        var text = "<section class=\"document \(classes)\" id=\"\(anchor)\">\n<h2><a href=\"#\(anchor)\">\(xml(document.path))</a>"
        text += " <a class=\"source\" href=\"\(xml(link(document.path, line: 1, in: document)))\">source</a></h2>\n"
        text += document.matrixEngine == nil ? singleRunHTML(document, anchor: anchor) : matrixHTML(runs, anchor: anchor)
        return text + "</section>\n"
    }

    /// Where line `line` of `path` (the document or a file of its blocks) links to.
    func link(_ path: String, line: Int, in document: FileOutcome) -> String {
        links.url(path: path, line: line, configuration: document.plan?.configuration)
    }
}
