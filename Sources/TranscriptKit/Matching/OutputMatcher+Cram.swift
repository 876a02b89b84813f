/// A cram `.t` command's output compared as cram compares it: line by line in order, each
/// expected line against the output line in its place (`CramLinePattern`); no `...`, no
/// placeholders, and blank lines count.
extension OutputMatcher {
    /// Compiles every expected line of `command` under cram's rules.
    static func cramLines(_ command: Command, indent: Int, file: String, cache: RegexCache) throws(Diagnostics) -> [CramLinePattern] {
        var lines: [CramLinePattern] = []
        var problems: [Diagnostic] = []
        // Lines written alike compile once (long runs of `id-[0-9]+ (re)`).
        var alike: [String: CramLinePattern] = [:]
        for line in command.expected {
            if var known = alike[line.text] {
                known.source = line
                lines.append(known)
                continue
            }
            do {
                let pattern = try CramLinePattern(line, indent: indent, file: file, cache: cache)
                alike[line.text] = pattern
                lines.append(pattern)
            } catch {
                problems.append(error)
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return lines
    }

    /// Matches `output`: passed when each line matches the one in its place; otherwise the diff
    /// of the best alignment, each actual line shown as a `.t` file would write it.
    static func matchCram(_ expected: [CramLinePattern], _ output: [UInt8], bounds: DiffBounds?) -> MatchResult {
        let actual = CramDisplay.lines(of: output)
        if expected.count == actual.count, zip(expected, actual).allSatisfy({ $0.matches($1) }) {
            return MatchResult(passed: true, diff: [])
        }
        let steps = Diff.align(expected: expected.count, actual: actual.count, isEllipsis: { _ in false },
                               equal: { expected[$0].matches(actual[$1]) })
        func missing(_ i: Int) -> DiffLine {
            DiffLine(kind: .expected, text: expected[i].source.text, line: expected[i].source.line, expectedIndex: i)
        }
        func extra(_ j: Int) -> DiffLine {
            DiffLine(kind: .actual, text: String(decoding: actual[j].display, as: UTF8.self), actualIndex: j)
        }
        var diff: [DiffLine] = []
        for step in steps {
            switch step {
            case .same(let i, let j):
                diff.append(DiffLine(kind: .same, text: expected[i].source.text, line: expected[i].source.line,
                                     expectedIndex: i, actualIndex: j))
            case .expected(let i): diff.append(missing(i))
            case .actual(let j): diff.append(extra(j))
            case .ellipsis(let i): diff.append(missing(i))
            }
        }
        let first = diff.first { $0.kind != .same && $0.line != nil }?.line ?? expected.last?.source.line
        let result = MatchResult(passed: false, diff: diff, firstMismatchLine: first)
        return bounds.map { $0.bounded(result, gap: 0, head: 0) } ?? result
    }
}
