/// The ordered match: line by line, or, with `...` or quantified lines, a search for the first
/// way the expected lines take the output.
extension OutputMatcher {
    struct SearchKey: Hashable {
        var i: Int
        var j: Int
        /// A `+` line that has taken a line already (the rest of it is a `*`).
        var taken: Bool
        var values: [String?]
        var examples: ExampleBindings?
    }

    private struct Frame {
        var i: Int
        var j: Int
        var state: MatchState
        var alternative = 0
        var taken = false
    }

    /// The final state of the first way (fewest lines absorbed by the earliest `...`, most by a
    /// quantified line) that the expected lines match `actual`, or nil. A depth-first search with
    /// an explicit stack that remembers failed states, so several `...` cost at most one visit
    /// per state, not an exponential number; the state includes only what can change later outcomes.
    func search(_ actual: ActualLines, _ cells: [[ActualLine]?], initial: MatchState) -> MatchState? {
        guard searches else { return matchLineByLine(actual, cells, initial: initial) }
        func key(_ frame: Frame) -> SearchKey {
            SearchKey(i: frame.i, j: frame.j, taken: frame.taken, values: dependentVariables.map { frame.state.variables[$0] },
                      examples: bindsExamples ? frame.state.examples : nil)
        }
        // From which index on only `...` lines remain: those match whatever is left, and bind nothing.
        var onlyEllipses = patterns.count
        while onlyEllipses > 0, patterns[onlyEllipses - 1].isEllipsis { onlyEllipses -= 1 }
        var failed = Set<SearchKey>()
        var stack = [Frame(i: 0, j: 0, state: initial)]
        while var frame = stack.popLast() {
            if frame.i >= onlyEllipses, onlyEllipses < patterns.count { return frame.state }
            if frame.alternative == 0, failed.contains(key(frame)) { continue }
            if frame.i == patterns.count {
                if frame.j == actual.count { return frame.state }
                failed.insert(key(frame))
                continue
            }
            let pattern = patterns[frame.i]
            let alternative = frame.alternative
            frame.alternative += 1
            var next: [Frame] = []
            if pattern.isEllipsis {
                // As few lines as needed: first try ending the `...` here.
                if alternative == 0 { next = [Frame(i: frame.i + 1, j: frame.j, state: frame.state)] }
                if alternative == 1, frame.j < actual.count { next = [Frame(i: frame.i, j: frame.j + 1, state: frame.state)] }
            } else if alternative == 0, frame.j < actual.count, let state = matched(frame.i, frame.j, actual, cells, state: frame.state) {
                switch pattern.quantifier {
                case .one, .optional: next = [Frame(i: frame.i + 1, j: frame.j + 1, state: state)]
                case .any, .some: next = [Frame(i: frame.i, j: frame.j + 1, state: state, taken: true)]
                }
            } else if alternative <= 1, pattern.quantifier != .one, pattern.quantifier != .some || frame.taken {
                // No (more) lines for a quantified line: the next expected line goes on from here.
                frame.alternative = 2
                next = [Frame(i: frame.i + 1, j: frame.j, state: frame.state)]
            }
            if next.isEmpty {
                failed.insert(key(frame))
            } else {
                stack.append(frame)
                stack += next
            }
        }
        return nil
    }

    /// The state after expected line `i` matches actual line `j`, or nil.
    private func matched(_ i: Int, _ j: Int, _ actual: ActualLines, _ cells: [[ActualLine]?], state: MatchState) -> MatchState? {
        if stateless[i] { return matchesStateless(i, j, actual, cells) ? state : nil }
        if case .matched(let next) = compare(i, j, actual, cells, state: state) { return next }
        return nil
    }

    /// Without `...`: the final state when each expected line matches the actual line beside it.
    func matchLineByLine(_ actual: ActualLines, _ cells: [[ActualLine]?], initial: MatchState) -> MatchState? {
        guard patterns.count == actual.count else { return nil }
        var state = initial
        for index in patterns.indices {
            guard let next = matched(index, index, actual, cells, state: state) else { return nil }
            state = next
        }
        return state
    }
}
