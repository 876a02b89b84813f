/// One line of a diff of expected against actual output.
package struct DiffLine: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// An expected line that matched (shown as written, patterns included), or `...`.
        case same
        /// An expected line that no actual line matched (`-`).
        case expected
        /// An actual line that no expected line matched (`+`).
        case actual
        /// Lines a bounded diff leaves out (`DiffBounds`): `omitted` says how many, `text` what.
        case omitted
    }

    package var kind: Kind
    /// Expected lines as written; actual lines as they would be written (`(esc)`, `(no-eol)`).
    package var text: String
    /// The Markdown line of an expected (or same) line; nil for actual lines.
    package var line: Int?
    /// The index of the expected line among the command's compared lines (nil for actual lines).
    package var expectedIndex: Int?
    /// The index of the actual line among the output's lines (`ActualLine.split`), for actual
    /// lines and for expected lines that matched one; nil otherwise.
    package var actualIndex: Int?
    /// An expected `...`, which stands for any number of actual lines.
    package var isEllipsis: Bool
    /// For an `omitted` entry: how many lines it stands for.
    package var omitted = 0

    package init(kind: Kind, text: String, line: Int? = nil, expectedIndex: Int? = nil, actualIndex: Int? = nil,
                 isEllipsis: Bool = false) {
        self.kind = kind
        self.text = text
        self.line = line
        self.expectedIndex = expectedIndex
        self.actualIndex = actualIndex
        self.isEllipsis = isEllipsis
    }
}
