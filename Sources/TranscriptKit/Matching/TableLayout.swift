/// The columns of a table in command output (`docker ps`, `docker images`, `volume ls`,
/// `system df`): a header row of capitalised column names apart by two or more spaces, whose
/// positions say where the cells of the rows below it start. Widths depend on the content, so a
/// page and an engine put the same columns at different positions; cells compare alike.
///
/// Positions count columns as a terminal shows them: one per Unicode scalar (tree rows start
/// with `├─`), never bytes.
struct TableLayout: Sendable, Hashable {
    /// The column where each cell starts; the first is 0.
    var starts: [Int]

    /// The layout a header line sets, or nil when the line is not a header: at least two names,
    /// each starting with a capital letter, of capitals, digits, single spaces and `./()_%-`,
    /// apart by runs of two or more blanks, from the first column on.
    static func header(_ scalars: [Unicode.Scalar]) -> TableLayout? {
        guard let first = scalars.first, isCapital(first) else { return nil }
        var starts = [0]
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if isBlank(scalar) {
                var end = index
                while end < scalars.count, isBlank(scalars[end]) { end += 1 }
                if end == scalars.count { break }
                if end - index >= 2 || scalar == "\t" {
                    guard isCapital(scalars[end]) else { return nil }
                    starts.append(end)
                }
                index = end
                continue
            }
            guard isCapital(scalar) || ("0"..."9").contains(scalar) || "./()_%-".unicodeScalars.contains(scalar) else { return nil }
            index += 1
        }
        return starts.count >= 2 ? TableLayout(starts: starts) : nil
    }

    /// The cells of a row under this layout, as scalar ranges without their blanks; nil when the
    /// line is not a row of it. A cell that runs past its column's start (a page's hand-made
    /// row) moves the boundary to the next gap of two or more blanks, if one comes before the
    /// column after; a line of words with no such gap (prose after a table) is no row.
    func cells(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? {
        var bounds = [0]
        for (k, start) in starts.enumerated().dropFirst() {
            var bound = max(start, bounds[bounds.count - 1])
            if bound < scalars.count, bound > 0, !Self.isBlank(scalars[bound - 1]) {
                guard let gapEnd = Self.gapEnd(in: scalars, from: bound) else { return nil }
                if k + 1 < starts.count, gapEnd >= starts[k + 1] { return nil }
                bound = gapEnd
            }
            bounds.append(min(bound, scalars.count))
        }
        bounds.append(scalars.count)
        return (0..<starts.count).map { k in
            var lower = bounds[k], upper = max(bounds[k], bounds[k + 1])
            while lower < upper, Self.isBlank(scalars[lower]) { lower += 1 }
            while upper > lower, Self.isBlank(scalars[upper - 1]) { upper -= 1 }
            return lower..<upper
        }
    }

    /// Where the first run of two or more blanks at or after `index` ends.
    private static func gapEnd(in scalars: [Unicode.Scalar], from index: Int) -> Int? {
        var i = index
        while i < scalars.count {
            guard isBlank(scalars[i]) else { i += 1; continue }
            var end = i
            while end < scalars.count, isBlank(scalars[end]) { end += 1 }
            if end - i >= 2, end < scalars.count { return end }
            i = end
        }
        return nil
    }

    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
    private static func isCapital(_ scalar: Unicode.Scalar) -> Bool { ("A"..."Z").contains(scalar) }
}

extension TableLayout {
    /// Per actual line, its cells when it is a table's header or one of its rows (the lines after
    /// a header up to a blank line), else nil.
    static func cells(of lines: some Collection<ActualLine>) -> [[ActualLine]?] {
        var layout: TableLayout?
        return lines.map { line in
            guard !line.bytes.isEmpty else {
                layout = nil
                return nil
            }
            let (scalars, offsets) = decode(line.bytes)
            if let header = header(scalars) { layout = header }
            guard let ranges = layout?.cells(scalars) else { return nil }
            return ranges.map { range in
                ActualLine(bytes: line.bytes[offsets[range.lowerBound]..<offsets[range.upperBound]], noEOL: false)
            }
        }
    }

    /// The scalars of a line, and where each starts in `bytes` (one more for the end). Bytes
    /// that are not UTF-8 count one column each.
    static func decode(_ bytes: ArraySlice<UInt8>) -> (scalars: [Unicode.Scalar], offsets: [Int]) {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var end = index + 1
            while end < bytes.endIndex, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
            offsets.append(index)
            if let text = String(validating: bytes[index..<end], as: UTF8.self), let scalar = text.unicodeScalars.first,
               text.unicodeScalars.count == 1 {
                scalars.append(scalar)
            } else {
                scalars.append("\u{FFFD}")
                end = index + 1
            }
            index = end
        }
        offsets.append(bytes.endIndex)
        return (scalars, offsets)
    }
}
