/// Turns a CommonMark document into a `Transcript`: finds session blocks (fenced `console`,
/// `shell-session` and `sh-session` blocks, at any nesting in block quotes and list items, and
/// hidden `<!-- transcript` comments), their option comments, and the commands inside them.
package enum MarkdownParser {
    /// Parses `source`. Every problem found is reported, each with its line and column.
    package static func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        // Filled in by the Markdown stage.
        Transcript(source: source)
    }
}
