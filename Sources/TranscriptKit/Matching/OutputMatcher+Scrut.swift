/// A scrut block's output compared as scrut compares it: its stdout (CRLF read as LF unless
/// `keep_crlf`), line by line against expectations that may each stand for no line, one, or
/// several (`?`, `*`, `+`).
extension OutputMatcher {
    /// Compiles every expectation of `command`.
    static func scrutLines(_ command: Command, file: String, cache: RegexCache) throws(Diagnostics) -> [ScrutLinePattern] {
        var lines: [ScrutLinePattern] = []
        var problems: [Diagnostic] = []
        for line in command.expected {
            do {
                lines.append(try ScrutLinePattern(line, file: file, cache: cache))
            } catch {
                problems.append(error)
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return lines
    }

    /// Matches `output`; on failure, the diff of the best alignment, one line per expectation.
    static func matchScrut(_ expected: [ScrutLinePattern], _ output: [UInt8], keepCRLF: Bool, bounds: DiffBounds?) -> MatchResult {
        let text = keepCRLF ? output : output.replacingBytes([0x0D, 0x0A], with: [0x0A])
        let actual = ActualLine.split(text, exact: true)
        func matches(_ i: Int, _ j: Int) -> Bool { expected[i].matches(actual[j].bytes, noEOL: actual[j].noEOL) }
        if accepts(expected, count: actual.count, matches: matches) { return MatchResult(passed: true, diff: []) }
        let steps = Diff.align(expected: expected.count, actual: actual.count, isEllipsis: { _ in false }, equal: matches)
        var diff: [DiffLine] = []
        for step in steps {
            switch step {
            case .same(let i, let j):
                diff.append(DiffLine(kind: .same, text: expected[i].source.text, line: expected[i].source.line, expectedIndex: i, actualIndex: j))
            case .expected(let i), .ellipsis(let i):
                diff.append(DiffLine(kind: .expected, text: expected[i].source.text, line: expected[i].source.line, expectedIndex: i))
            case .actual(let j):
                diff.append(DiffLine(kind: .actual, text: actual[j].displayText, actualIndex: j))
            }
        }
        let first = diff.first { $0.kind != .same && $0.line != nil }?.line ?? expected.last?.source.line
        let result = MatchResult(passed: false, diff: diff, firstMismatchLine: first)
        return bounds.map { $0.bounded(result, gap: 0, head: 0) } ?? result
    }

    /// Whether the expectations, with their quantifiers, take exactly `count` lines: the states
    /// (expectation, line) reachable from the start, each visited once.
    static func accepts(_ expected: [ScrutLinePattern], count: Int, matches: (Int, Int) -> Bool) -> Bool {
        var reached = Set<Int>()
        var stack = [0]
        let width = count + 1
        while let state = stack.popLast() {
            guard reached.insert(state).inserted else { continue }
            let (i, j) = (state / width, state % width)
            if i == expected.count {
                if j == count { return true }
                continue
            }
            let quantifier = expected[i].quantifier
            let here = j < count && matches(i, j)
            switch quantifier {
            case .one:
                if here { stack.append((i + 1) * width + j + 1) }
            case .optional:
                stack.append((i + 1) * width + j)
                if here { stack.append((i + 1) * width + j + 1) }
            case .any:
                stack.append((i + 1) * width + j)
                if here { stack.append(i * width + j + 1) }
            case .some:
                // One line taken: the rest of the `+` is a `*`, kept apart as state i past its first line.
                if here { stack.append((i + 1) * width + j + 1); stack.append(i * width + j + 1) }
            }
        }
        return false
    }
}
