import TOMLKit

/// Reads the sidecar's own keys of its `transcript.toml` (`upstream`, `[[document]]`,
/// `[[document.block]]`); the configuration keys are `Configuration`'s. Every problem points
/// at the key's line and column.
struct SidecarReader {
    static let topKeys = ["upstream", "document"]
    static let documentKeys = ["path", "options", "before", "after", "block"]
    static let blockKeys = ["line", "heading", "contains", "index", "options", "before", "after"]

    let table: TOMLTable
    let layout: TOMLLayout
    let path: String
    private(set) var problems: [Diagnostic] = []

    init(table: TOMLTable, text: String, path: String) {
        self.table = table
        self.layout = TOMLLayout(text: text)
        self.path = path
    }

    /// `upstream = "DIR"`, as written.
    mutating func upstream() -> (value: String, position: ConfigurationPosition)? {
        guard let value = table["upstream"] else { return nil }
        let top = layout.tables.first ?? TOMLLayout.Table(name: "", line: 1, column: 1)
        guard let text = value.string, !text.isEmpty else {
            problem(at: top, key: "upstream", "'upstream' must be a directory's path as a string",
                    "write upstream = \"docs/reference\", relative to the sidecar's directory")
            return nil
        }
        return (text, position(top, "upstream"))
    }

    /// Every `[[document]]` entry; an entry with problems is left out (and reported).
    mutating func documents() -> [SidecarDocument] {
        guard let value = table["document"] else {
            problems.append(Diagnostic(file: path, line: 0, column: 0, message: "the sidecar has no [[document]] entry",
                                       help: "add [[document]] with path = \"PAGE.md\" (a glob) and the blocks it changes"))
            return []
        }
        let written = layout.entries("document")
        guard let array = value.array, array.allSatisfy({ $0.table != nil }) else {
            problem(at: layout.tables.first ?? TOMLLayout.Table(name: "", line: 1, column: 1), key: "document",
                    "'document' must be an array of tables", "write each entry as a [[document]] section")
            return []
        }
        var documents: [SidecarDocument] = []
        for (index, element) in array.enumerated() {
            guard let entry = element.table else { continue }
            let layoutTable = index < written.count ? written[index] : TOMLLayout.Table(name: "document", line: 0, column: 0)
            if let document = document(entry, layoutTable, blocks: layout.entries("document.block", under: "document", at: index)) {
                documents.append(document)
            }
        }
        return documents
    }

    private mutating func document(_ entry: TOMLTable, _ written: TOMLLayout.Table, blocks: [TOMLLayout.Table]) -> SidecarDocument? {
        let before = problems.count
        rejectUnknownKeys(entry, written, allowed: Self.documentKeys, section: "[[document]]")
        var glob: PathGlob?
        if let text = string(entry, written, "path") {
            do { glob = try PathGlob(text) } catch {
                problem(at: written, key: "path", "'\(text)' is not a glob: \(error.message)",
                        "write a file name or a path's last parts, with * and ? (and ** for any folders)")
            }
        } else if entry["path"] == nil {
            problem(at: written, key: nil, "a [[document]] entry without path",
                    "add path = \"PAGE.md\": a glob matched against the pages' paths")
        }
        let options = self.options(entry, written)
        let sessions = (self.session(entry, written, "before"), self.session(entry, written, "after"))
        var selected: [SidecarBlock] = []
        if let value = entry["block"] {
            if let array = value.array, array.allSatisfy({ $0.table != nil }) {
                for (index, element) in array.enumerated() {
                    guard let table = element.table else { continue }
                    let layoutTable = index < blocks.count ? blocks[index] : written
                    if let block = block(table, layoutTable) { selected.append(block) }
                }
            } else {
                problem(at: written, key: "block", "'block' must be an array of tables", "write each as a [[document.block]] section")
            }
        }
        guard problems.count == before, let glob else { return nil }
        return SidecarDocument(glob: glob, position: position(written, "path"), options: options,
                               before: sessions.0, after: sessions.1, blocks: selected)
    }

    private mutating func block(_ entry: TOMLTable, _ written: TOMLLayout.Table) -> SidecarBlock? {
        let before = problems.count
        rejectUnknownKeys(entry, written, allowed: Self.blockKeys, section: "[[document.block]]")
        var selector = BlockSelector()
        selector.line = positiveInteger(entry, written, "line", help: "write line = N, the line of the block's opening fence")
        selector.heading = string(entry, written, "heading")
        selector.contains = string(entry, written, "contains")
        selector.index = positiveInteger(entry, written, "index", help: "write index = N: 1 for the first matching block")
        for key in ["line", "heading", "contains", "index"] where entry[key] != nil {
            selector.positions[key] = position(written, key)
        }
        if selector.line == nil && selector.heading == nil && selector.contains == nil && problems.count == before {
            problem(at: written, key: nil, "a [[document.block]] entry that names no block",
                    "add line = N (its opening fence), heading = \"...\" (with index = N) or contains = \"a command's text\"")
        }
        let options = self.options(entry, written)
        let sessions = (session(entry, written, "before"), session(entry, written, "after"))
        guard problems.count == before else { return nil }
        return SidecarBlock(selector: selector, options: options, before: sessions.0, after: sessions.1,
                            position: ConfigurationPosition(line: written.line, column: written.column))
    }

    /// `options = "..."`, parsed as option text with errors at their word.
    private mutating func options(_ entry: TOMLTable, _ written: TOMLLayout.Table) -> Options? {
        guard let text = string(entry, written, "options") else { return nil }
        let at = written.keys["options"]
        do {
            return try Options.parse(text, file: path, line: at?.valueLine ?? 0, column: at?.valueColumn ?? 0)
        } catch {
            problems.append(error)
            return nil
        }
    }

    /// `before` or `after`: a session written as in a console block.
    private mutating func session(_ entry: TOMLTable, _ written: TOMLLayout.Table, _ key: String) -> SessionBlock? {
        guard let text = string(entry, written, key) else { return nil }
        let at = written.keys[key] ?? TOMLLayout.KeyPosition(line: written.line, column: written.column, valueLine: written.line,
                                                              valueColumn: written.column, endLine: written.line)
        switch SidecarSession.parse(text, key: key, at: at, file: path) {
        case .success(let block): return block
        case .failure(let diagnostics): problems += diagnostics.items; return nil
        }
    }

    private mutating func string(_ entry: TOMLTable, _ written: TOMLLayout.Table, _ key: String) -> String? {
        guard let value = entry[key] else { return nil }
        guard let text = value.string else {
            problem(at: written, key: key, "'\(key)' must be a string, not \(typeName(value.type))", "quote the value: \(key) = \"...\"")
            return nil
        }
        return text
    }

    private mutating func positiveInteger(_ entry: TOMLTable, _ written: TOMLLayout.Table, _ key: String, help: String) -> Int? {
        guard let value = entry[key] else { return nil }
        guard let number = value.int, number >= 1 else {
            problem(at: written, key: key, "'\(key)' must be a positive integer", help)
            return nil
        }
        return number
    }

    private mutating func rejectUnknownKeys(_ entry: TOMLTable, _ written: TOMLLayout.Table, allowed: [String], section: String) {
        for key in entry.keys.sorted() where !allowed.contains(key) {
            problem(at: written, key: key, "unknown key '\(key)' in \(section)",
                    closestName(to: key, among: allowed).map { "did you mean '\($0)'?" } ?? "keys are " + allowed.joined(separator: ", "))
        }
    }

    /// Where `key` is written in `table` (its header when the key is not found).
    private func position(_ table: TOMLLayout.Table, _ key: String) -> ConfigurationPosition {
        guard let at = table.keys[key] else { return ConfigurationPosition(line: table.line, column: table.column) }
        return ConfigurationPosition(line: at.line, column: at.column, valueColumn: at.valueLine == at.line ? at.valueColumn : nil)
    }

    private mutating func problem(at table: TOMLLayout.Table, key: String?, _ message: String, _ help: String) {
        let at = key.map { position(table, $0) } ?? ConfigurationPosition(line: table.line, column: table.column)
        problems.append(Diagnostic(file: path, line: at.line, column: at.column, message: message, help: help))
    }
}
