/// The lines of a ```scrut block before its command: `#` comments and `% key: value` settings
/// (scrut's multi-line form of the fence's `{key: value}`), with blank lines between them.
enum ScrutCaseLines {
    /// Whether `content` may stand before a block's command: a comment, a setting or a blank line.
    static func precedesCommand(_ content: String) -> Bool {
        content.hasPrefix("#") || content.hasPrefix("%") || content.trimmingWhitespace.isEmpty
    }

    /// The `key: value` of a `%` setting line and the character offset where it starts in
    /// `content`; nil for any other line.
    static func setting(_ content: String) -> (text: String, offset: Int)? {
        guard content.hasPrefix("%") else { return nil }
        let rest = content.dropFirst().drop { $0 == " " || $0 == "\t" }
        return (String(rest), content.count - rest.count)
    }

    /// The lines of `block` before its command (all of them when it has none).
    static func leading(_ block: SessionBlock) -> [SessionLine] {
        let first = block.commands.first?.line ?? block.closingLine
        return block.lines.filter { $0.line < first }
    }
}
