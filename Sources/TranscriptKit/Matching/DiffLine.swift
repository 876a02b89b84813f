/// One line of a diff of expected against actual output.
package struct DiffLine: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// An expected line that matched (shown as written, patterns included), or `...`.
        case same
        /// An expected line that no actual line matched (`-`).
        case expected
        /// An actual line that no expected line matched (`+`).
        case actual
    }

    package var kind: Kind
    /// Expected lines as written; actual lines as they would be written (`(esc)`, `(no-eol)`).
    package var text: String
    /// The Markdown line of an expected (or same) line; nil for actual lines.
    package var line: Int?

    package init(kind: Kind, text: String, line: Int? = nil) {
        self.kind = kind
        self.text = text
        self.line = line
    }
}
