/// Turns a CommonMark document into a `Transcript`: finds session blocks (fenced `console`,
/// `shell-session` and `sh-session` blocks, at any nesting in block quotes and list items, and
/// hidden `<!-- transcript` comments), their option comments, and the commands inside them.
package enum MarkdownParser {
    /// The first words of an info string that make a fenced code block a session block.
    package static let sessionLanguages: Set<String> = ["console", "shell-session", "sh-session"]

    /// Parses `source`. Every problem found is reported, each with its line and column.
    package static func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        var scanner = BlockScanner(source: source)
        scanner.scan()
        if !scanner.diagnostics.isEmpty { throw Diagnostics(scanner.diagnostics) }
        return Transcript(source: source, fileOptions: scanner.fileOptions, fileOptionsLine: scanner.fileOptionsLine,
                          blocks: scanner.blocks)
    }
}
