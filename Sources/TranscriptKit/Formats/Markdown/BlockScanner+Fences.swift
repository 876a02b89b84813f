/// Fenced code blocks: a session block opens at a fence whose info string starts with a
/// session language, and closes at its closing fence.
extension BlockScanner {
    /// Opens a fenced code block, and a session when its info string names a session language.
    mutating func openFence(_ opening: LineCursor.FenceOpening, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
        let word = MarkdownParser.decodingInfoString(String(opening.info)).prefix { $0 != " " && $0 != "\t" }
        let isSession = languages.contains(String(word))
        openLeaf(.fence(Fence(character: opening.character, length: opening.length, indent: cursor.indent, isSession: isSession)), at: number)
        guard isSession else {
            if let waiting = pending {
                report(waiting.line, waiting.column, "the option comment must directly precede a session block",
                       help: "a session block's info string starts with console, shell-session or sh-session",
                       notes: ["note: the code block at line \(number) is not a session block"])
                pending = nil
            }
            return .content
        }
        let fence = String(repeating: Character(Unicode.Scalar(opening.character)), count: opening.length)
        startSession(SessionBlock.Delimiters(opening: fence, info: opening.info, closing: fence), isHidden: false, number,
                     column: cursor.nextNonspace + 1)
        return .neutral
    }

    /// A line inside an open fence: its closing fence, or a content line (a session line if it is one).
    mutating func continueFence(_ fence: Fence, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
        if cursor.closesFence(character: fence.character, length: fence.length) {
            if fence.isSession { finishSession(closingLine: number) }
            leaf = .none
            return fence.isSession ? .neutral : .content
        }
        cursor.skipIndentation(upTo: fence.indent)
        if fence.isSession { appendSessionLine(number, cursor) }
        return .content
    }
}
