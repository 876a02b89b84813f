/// The outcome of comparing one command's output.
package struct MatchResult: Sendable {
    package var passed: Bool
    /// Expected against actual, aligned; empty when the output matched.
    package var diff: [DiffLine]
    /// The Markdown line of the first expected line that did not match (for an extra actual
    /// line, the expected line it appeared before); nil when the output matched.
    package var firstMismatchLine: Int?
    /// Why the output failed beyond what the diff shows, e.g. a broken example binding.
    package var message: String?
    /// `as-written`, a command the page shows without output: what it printed (as diff lines
    /// would show it), which was not compared.
    package var unshownOutput: [String] = []
    /// How many lines it printed, when `unshownOutput` shows only the first of them.
    package var unshownLineCount: Int?

    package init(passed: Bool, diff: [DiffLine], firstMismatchLine: Int? = nil, message: String? = nil,
                 unshownOutput: [String] = []) {
        self.passed = passed
        self.diff = diff
        self.firstMismatchLine = firstMismatchLine
        self.message = message
        self.unshownOutput = unshownOutput
    }

    /// "the page shows no output; it printed 2 lines", when the output was not compared.
    package var unshownNote: String? {
        guard !unshownOutput.isEmpty else { return nil }
        let count = unshownLineCount ?? unshownOutput.count
        return "the page shows no output; it printed \(count) line\(count == 1 ? "" : "s")"
    }
}
