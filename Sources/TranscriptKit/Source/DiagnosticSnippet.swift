/// The source line a diagnostic points at, with a caret under its column, as compilers show it:
///
/// ```
/// spelling.md:4:3: error: 'answer' is not a variable name
///    4 | {{answer}}
///      |   ^
///   help: variable names are [A-Z_][A-Z0-9_]*
/// ```
package enum DiagnosticSnippet {
    /// Characters of a long line shown around the column.
    static let window = 100

    /// The diagnostic with its source line and caret between the message and its notes, when
    /// `lines` (the file's lines) has its line; otherwise as `description` says it.
    package static func render(_ diagnostic: Diagnostic, lines: [String]?) -> String {
        guard let snippet = lines.flatMap({ snippet(diagnostic, lines: $0) }) else { return diagnostic.description }
        var out = "\(diagnostic.location): error: \(diagnostic.message)\n" + snippet
        for note in diagnostic.notes {
            out += "\n  " + note
        }
        return out
    }

    /// The two lines: `   N | text` and the caret under the column. Nil for a problem with the
    /// whole file (line 0) or a line the file does not have.
    static func snippet(_ diagnostic: Diagnostic, lines: [String]) -> String? {
        guard diagnostic.line >= 1, diagnostic.line <= lines.count else { return nil }
        let text = Array(lines[diagnostic.line - 1])
        let column = min(max(diagnostic.column, 1), text.count + 1)
        // A long line is cut to a window around the column, marked with `...` where cut.
        let start = column > window ? column - window / 2 : 1
        let end = min(text.count, start - 1 + window)
        let shown = start <= end ? String(text[(start - 1)..<end]) : ""
        let prefix = start > 1 ? "..." : ""
        let suffix = end < text.count ? "..." : ""
        // Tabs stay tabs under the caret, so it lines up however wide the terminal shows them.
        let lead = text[(start - 1)..<(column - 1)].map { $0 == "\t" ? "\t" : " " }.joined()
        let number = String(diagnostic.line)
        let gutter = String(repeating: " ", count: number.count)
        return "  \(number) | \(prefix)\(shown)\(suffix)\n  \(gutter) | \(String(repeating: " ", count: prefix.count))\(lead)^"
    }
}
