/// Aligns expected lines with actual lines for a report: a shortest edit script where "equal"
/// means the expected line's pattern matches the actual line, and `...` absorbs any lines.
enum Diff {
    enum Step: Sendable, Hashable {
        /// Expected line matched actual line.
        case same(Int, Int)
        /// An expected `...`; the actual lines it absorbed are not listed.
        case ellipsis(Int)
        case expected(Int)
        case actual(Int)
    }

    /// The alignment. The common prefix and suffix are taken first, so typical diffs of long
    /// outputs stay linear; the rest uses an O(n·m) table, and beyond `cellLimit` cells the rest
    /// is shown as all expected lines, then all actual lines.
    static func align(expected n: Int, actual m: Int, isEllipsis: (Int) -> Bool, equal: (Int, Int) -> Bool,
                      cellLimit: Int = 4_000_000) -> [Step] {
        var steps: [Step] = []
        var prefix = 0
        while prefix < n, prefix < m, !isEllipsis(prefix), equal(prefix, prefix) {
            steps.append(.same(prefix, prefix))
            prefix += 1
        }
        var suffix = 0
        while suffix < n - prefix, suffix < m - prefix, !isEllipsis(n - 1 - suffix), equal(n - 1 - suffix, m - 1 - suffix) {
            suffix += 1
        }
        let rows = n - prefix - suffix
        let columns = m - prefix - suffix
        if (rows + 1) * (columns + 1) > cellLimit {
            for i in prefix..<(prefix + rows) { steps.append(isEllipsis(i) ? .ellipsis(i) : .expected(i)) }
            for j in prefix..<(prefix + columns) { steps.append(.actual(j)) }
        } else {
            steps += middle(rows: rows, columns: columns, offset: prefix, isEllipsis: isEllipsis, equal: equal)
        }
        for k in 0..<suffix { steps.append(.same(n - suffix + k, m - suffix + k)) }
        return revealingBesideEllipses(steps, actualCount: m)
    }

    /// An expected line that matched nothing, next to a `...` that absorbed lines, would show
    /// without the line that stood in its place (`-hallo`, then ` ...` over `hello`): the
    /// absorbed line nearest to it is shown as actual output instead, beside it.
    private static func revealingBesideEllipses(_ steps: [Step], actualCount: Int) -> [Step] {
        guard steps.contains(where: { if case .ellipsis = $0 { return true } else { return false } }) else { return steps }
        // The actual lines each ellipsis absorbed: those between the lines consumed around it.
        var absorbed: [Int: Range<Int>] = [:]
        var next = 0
        var open: (index: Int, from: Int)?
        func consume(_ j: Int) {
            if let started = open {
                absorbed[started.index] = started.from..<j
                open = nil
            }
            next = j + 1
        }
        for (index, step) in steps.enumerated() {
            switch step {
            case .same(_, let j), .actual(let j): consume(j)
            case .ellipsis:
                if let started = open { absorbed[started.index] = started.from..<next }
                open = (index, next)
            case .expected: break
            }
        }
        if let started = open { absorbed[started.index] = started.from..<actualCount }
        // Before an ellipsis that follows an unmatched expected line: its first absorbed line;
        // after an unmatched expected line that follows one: its last (if not shown already).
        var before: [Int: Int] = [:]
        var after: [Int: Int] = [:]
        for (index, range) in absorbed where !range.isEmpty {
            var rest = range
            if index > 0, case .expected = steps[index - 1] {
                before[index] = rest.lowerBound
                rest = (rest.lowerBound + 1)..<rest.upperBound
            }
            if !rest.isEmpty, index + 1 < steps.count, case .expected = steps[index + 1] {
                after[index + 1] = rest.upperBound - 1
            }
        }
        var out: [Step] = []
        out.reserveCapacity(steps.count + before.count + after.count)
        for (index, step) in steps.enumerated() {
            if let j = before[index] { out.append(.actual(j)) }
            out.append(step)
            if let j = after[index] { out.append(.actual(j)) }
        }
        return out
    }

    private enum Choice: UInt8 { case diagonal, delete, insert, endEllipsis, absorb }

    private static func middle(rows: Int, columns: Int, offset: Int, isEllipsis: (Int) -> Bool,
                               equal: (Int, Int) -> Bool) -> [Step] {
        let width = columns + 1
        var choices = [Choice](repeating: .insert, count: (rows + 1) * width)
        // cost[i][j]: fewest unmatched lines aligning expected[i...] with actual[j...]; two rows suffice.
        var below = [Int](repeating: 0, count: width)
        var current = [Int](repeating: 0, count: width)
        for j in stride(from: columns - 1, through: 0, by: -1) { below[j] = below[j + 1] + 1 }
        for i in stride(from: rows - 1, through: 0, by: -1) {
            let ellipsis = isEllipsis(offset + i)
            for j in stride(from: columns, through: 0, by: -1) {
                var cost: Int
                var choice: Choice
                if ellipsis {
                    cost = below[j]
                    choice = .endEllipsis
                    if j < columns, current[j + 1] < cost {
                        cost = current[j + 1]
                        choice = .absorb
                    }
                } else {
                    cost = below[j] + 1
                    choice = .delete
                    if j < columns {
                        if current[j + 1] + 1 < cost {
                            cost = current[j + 1] + 1
                            choice = .insert
                        }
                        if below[j + 1] <= cost, equal(offset + i, offset + j) {
                            cost = below[j + 1]
                            choice = .diagonal
                        }
                    }
                }
                current[j] = cost
                choices[i * width + j] = choice
            }
            swap(&below, &current)
        }
        var steps: [Step] = []
        var i = 0
        var j = 0
        while i < rows || j < columns {
            if i == rows {
                steps.append(.actual(offset + j))
                j += 1
                continue
            }
            switch choices[i * width + j] {
            case .diagonal:
                steps.append(.same(offset + i, offset + j)); i += 1; j += 1
            case .delete:
                steps.append(.expected(offset + i)); i += 1
            case .insert:
                steps.append(.actual(offset + j)); j += 1
            case .endEllipsis:
                steps.append(.ellipsis(offset + i)); i += 1
            case .absorb:
                j += 1
            }
        }
        return steps
    }
}
