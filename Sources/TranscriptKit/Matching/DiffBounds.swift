/// How much of a failing command's diff a report carries, so that a command printing millions
/// of lines gives a short report and bounded memory: the alignment considers at most `window`
/// actual lines (the first and last halves), the diff shows at most `maximumChanges` differing
/// lines (then a few unchanged ones), and a shown line at most `maximumLineCharacters`. What is
/// left out is said, with how many lines, by an `omitted` entry where it was.
package struct DiffBounds: Sendable, Hashable {
    package var window = 2_000
    package var maximumChanges = 200
    package var maximumLineCharacters = 2_000
    /// Unchanged lines kept after the last differing line shown.
    package var context = 3

    package init() {}

    /// `result` within the bounds: the window's gap marked (`gap` lines left out after the
    /// window's first `head`), long lines shortened, and the diff cut after `maximumChanges`
    /// differing lines.
    func bounded(_ result: MatchResult, gap: Int, head: Int) -> MatchResult {
        var diff = result.diff
        if gap > 0 {
            let tail = head + gap
            let at = diff.firstIndex { ($0.actualIndex ?? -1) >= tail }
                ?? diff.lastIndex(where: { $0.actualIndex != nil }).map { $0 + 1 } ?? diff.count
            diff.insert(Self.omission(gap, "line\(gap == 1 ? "" : "s") of output between these left out of the diff"), at: at)
        }
        var cut: Int?
        var changes = 0
        var sameSince = 0
        for index in diff.indices {
            switch diff[index].kind {
            case .expected, .actual:
                if changes == maximumChanges { cut = index }
                changes += 1
                sameSince = 0
            case .same, .omitted:
                sameSince += 1
                if changes >= maximumChanges, sameSince > context { cut = index }
            }
            if cut != nil { break }
        }
        if let cut {
            let rest = diff[cut...]
            let left = rest.reduce(0) { $0 + ($1.kind == .omitted ? $1.omitted : 1) }
            diff.removeSubrange(cut...)
            diff.append(Self.omission(left, "more line\(left == 1 ? "" : "s") of the diff not shown"))
        }
        for index in diff.indices where diff[index].kind != .omitted {
            diff[index].text = shortened(diff[index].text)
        }
        var bounded = result
        bounded.diff = diff
        return bounded
    }

    /// `text` cut to `maximumLineCharacters`, saying how much more there was.
    func shortened(_ text: String) -> String {
        guard text.utf8.count > maximumLineCharacters else { return text }
        let count = text.count
        guard count > maximumLineCharacters else { return text }
        return String(text.prefix(maximumLineCharacters)) + " … (\(count - maximumLineCharacters) more characters)"
    }

    /// The entry for `count` lines left out, described by `what`.
    static func omission(_ count: Int, _ what: String) -> DiffLine {
        var line = DiffLine(kind: .omitted, text: "\(count) \(what)")
        line.omitted = count
        return line
    }
}

extension OutputMatcher {
    /// `as-written`, a command the page shows without output: it passes, and what it printed is
    /// kept to be shown beside it, within `bounds` when given.
    func unshown(_ actual: ActualLines, bounds: DiffBounds?) -> MatchResult {
        guard let bounds, actual.count > bounds.maximumChanges else {
            return MatchResult(passed: true, diff: [], unshownOutput: actual.map(\.displayText))
        }
        var lines = actual.prefix(bounds.maximumChanges).map { bounds.shortened($0.displayText) }
        let left = actual.count - bounds.maximumChanges
        lines.append("… \(left) more line\(left == 1 ? "" : "s") not shown")
        var result = MatchResult(passed: true, diff: [], unshownOutput: lines)
        result.unshownLineCount = actual.count
        return result
    }
}
