/// An expected line read as a row of a table (`TableLayout`) in a document as written: each cell
/// compiled as a line of its own, so that a row matches the engine's row whatever the widths of
/// the columns, and a row that differs in one column still names the container in another.
struct TableRow: Sendable {
    var cells: [LinePattern]

    /// Whether no cell reads or changes state.
    var isStateless: Bool { cells.allSatisfy(\.isStateless) }

    /// Compares the row's cells with an actual row's, threading captures and bindings through.
    func match(_ actual: [ActualLine], state: MatchState, cache: RegexCache, permissive: Bool) -> LineMatch {
        guard actual.count == cells.count else { return .mismatch }
        var state = state
        for (cell, value) in zip(cells, actual) {
            let result = cell.match(value, state: state, cache: cache, permissive: permissive)
            guard case .matched(let next) = result else { return result }
            state = next
        }
        return .matched(state)
    }

    /// For a stateless row: whether it matches the actual row.
    func matches(_ actual: [ActualLine]) -> Bool {
        actual.count == cells.count && zip(cells, actual).allSatisfy { $0.matches($1) }
    }

    /// Whether the actual row is this row with at most one column changed: every cell written as
    /// plain text (a name, an image, a command) but one reads the same, and at least one does.
    /// Cells of IDs, times and sizes match anything of their kind, so they do not tell rows apart.
    func isNearly(_ actual: [ActualLine], state: MatchState, cache: RegexCache) -> Bool {
        guard actual.count == cells.count else { return false }
        var same = 0, changed = 0
        for (cell, value) in zip(cells, actual) where cell.isLiteral {
            if case .literal(let bytes) = cell.body, bytes.isEmpty { continue }
            if case .matched = cell.match(value, state: state, cache: cache, permissive: true) { same += 1 } else { changed += 1 }
        }
        return same >= 1 && changed <= 1
    }

    /// The state after binding the example values of the cells that match in a row that does not
    /// match as a whole; a cell whose binding would contradict an earlier one binds nothing.
    func bindingCells(_ actual: [ActualLine], state: MatchState, cache: RegexCache) -> MatchState {
        var state = state
        for (cell, value) in zip(cells, actual) where cell.bindsExamples {
            if case .matched(let next) = cell.match(value, state: state, cache: cache) { state = next }
        }
        return state
    }
}

extension LineCompiler {
    /// Per expected line, its cells compiled when it is a table's header or a row under one
    /// (up to a blank line); nil for other lines. `...` and annotated lines are never rows; a
    /// row whose column boundary falls inside a placeholder is compared only as a line.
    /// Compiled on a copy, so that a cell that does not compile alone leaves only its line.
    func tableRows(_ lines: [ExpectedLine]) -> [TableRow?] {
        var scratch = self
        var layout: TableLayout?
        var rows: [TableRow?] = []
        var any = false
        for line in lines {
            let text = line.text.trimmingTrailingBlanks
            let scalars = Array(text.unicodeScalars)
            if scalars.isEmpty { layout = nil }
            if let header = TableLayout.header(scalars) { layout = header }
            guard let layout, text != "...", !Self.isAnnotated(text), text.count == scalars.count,
                  let ranges = layout.cells(scalars), let row = scratch.compileRow(text, ranges: ranges, line: line) else {
                rows.append(nil)
                continue
            }
            rows.append(row)
            any = true
        }
        return any ? rows : []
    }

    private static func isAnnotated(_ text: String) -> Bool {
        ["(re)", "(glob)", "(esc)", "(equal)", "(no-eol)"].contains { text.hasSuffix(" " + $0) }
    }

    /// The row's cells compiled, or nil when a boundary cuts a placeholder or a cell has an error.
    private mutating func compileRow(_ text: String, ranges: [Range<Int>], line: ExpectedLine) -> TableRow? {
        let characters = Array(text)
        if text.contains("{{") {
            var placeholders: [Range<Int>] = []
            for piece in PlaceholderScanner.scan(text).pieces {
                if case .placeholder(let source, let offset, _) = piece { placeholders.append(offset..<(offset + source.count)) }
            }
            let cut = ranges.contains { range in placeholders.contains { $0.overlaps(range) && !range.holds($0) } }
            if cut { return nil }
        }
        let before = diagnostics.count
        var cells: [LinePattern] = []
        for range in ranges {
            let cell = ExpectedLine(text: String(characters[range]), line: line.line, column: line.column + range.lowerBound)
            guard let pattern = compile(cell), diagnostics.count == before else { return nil }
            cells.append(pattern)
        }
        return TableRow(cells: cells)
    }
}

extension Range where Bound == Int {
    /// Whether `other` lies wholly inside this range.
    fileprivate func holds(_ other: Range<Int>) -> Bool {
        lowerBound <= other.lowerBound && other.upperBound <= upperBound
    }
}
