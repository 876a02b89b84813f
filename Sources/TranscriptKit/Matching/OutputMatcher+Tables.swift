/// Tables in a document as written: an expected row matches as its line does, or else cell by
/// cell against the actual row under its header (`TableLayout`, `TableRow`).
extension OutputMatcher {
    /// Compares expected line `i` with actual line `j` under `state`.
    func compare(_ i: Int, _ j: Int, _ actual: ActualLines, _ cells: [[ActualLine]?], state: MatchState,
                 permissive: Bool = false) -> LineMatch {
        let whole = patterns[i].match(actual[j], state: state, cache: cache, permissive: permissive)
        guard case .mismatch = whole, let (row, actualCells) = tableRow(i, j, actual, cells) else { return whole }
        return row.match(actualCells, state: state, cache: cache, permissive: permissive)
    }

    /// For a stateless line: whether expected line `i` matches actual line `j`.
    func matchesStateless(_ i: Int, _ j: Int, _ actual: ActualLines, _ cells: [[ActualLine]?]) -> Bool {
        if patterns[i].matches(actual[j]) { return true }
        guard let (row, actualCells) = tableRow(i, j, actual, cells) else { return false }
        return row.matches(actualCells)
    }

    /// The expected row `i` and the cells of actual line `j`, when both are rows of tables.
    private func tableRow(_ i: Int, _ j: Int, _ actual: ActualLines, _ cells: [[ActualLine]?]) -> (TableRow, [ActualLine])? {
        guard i < rows.count, let row = rows[i], j < cells.count, let actualCells = cells[j], !actual[j].noEOL else { return nil }
        return (row, actualCells)
    }

    /// Expected and actual lines of one run of changes in a diff, not paired yet.
    struct ChangedRows {
        var expected: [Int] = []
        var actual: [Int] = []
    }

    /// Binds the example values of failing rows (a `docker ps` row whose COMMAND changed still
    /// names its container by its CONTAINER ID): each expected row of the run of changes is paired
    /// with the first actual row that is the same row with at most one column changed, and the
    /// cells that match bind. Empties `changed`.
    func bindingChangedRows(_ changed: inout ChangedRows, _ actual: ActualLines, _ cells: [[ActualLine]?],
                            state: MatchState) -> MatchState {
        defer { changed = ChangedRows() }
        guard !rows.isEmpty, !changed.expected.isEmpty, !changed.actual.isEmpty else { return state }
        var state = state
        var free = changed.actual
        for i in changed.expected {
            guard let row = rows[i], row.cells.contains(where: \.bindsExamples) else { continue }
            guard let k = free.firstIndex(where: { j in cells[j].map { row.isNearly($0, state: state, cache: cache) } ?? false }),
                  let actualCells = cells[free[k]] else { continue }
            state = row.bindingCells(actualCells, state: state, cache: cache)
            free.remove(at: k)
        }
        return state
    }
}
