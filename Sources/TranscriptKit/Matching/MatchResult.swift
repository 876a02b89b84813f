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

    package init(passed: Bool, diff: [DiffLine], firstMismatchLine: Int? = nil, message: String? = nil) {
        self.passed = passed
        self.diff = diff
        self.firstMismatchLine = firstMismatchLine
        self.message = message
    }
}
