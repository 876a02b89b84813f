/// A session: a block of commands and their expected output, as its document's format sets it
/// off (a fenced code block, a hidden comment, an indented cram section, ...).
package struct SessionBlock: Sendable {
    /// How the block is set off in its document, in its format's own terms.
    package struct Delimiters: Sendable, Hashable {
        /// The marker that opens the block as written, e.g. "```", "~~~~" or "<!-- transcript".
        package var opening: String
        /// What follows the opening marker on its line, e.g. a fence's info string "console title=x".
        package var info: String
        /// What closes the block, e.g. "```" or "-->"; empty when the format ends blocks otherwise.
        package var closing: String

        package init(opening: String, info: String = "", closing: String) {
            self.opening = opening
            self.info = info
            self.closing = closing
        }
    }

    package var delimiters: Delimiters
    /// Whether readers of the rendered document do not see the block (a hidden session).
    package var isHidden: Bool
    /// The line of the opening delimiter (1-based).
    package var openingLine: Int
    /// The line of the closing delimiter (or where the block ends).
    package var closingLine: Int
    /// The block's own options (from its option comment), not merged with the file's.
    package var options: Options
    /// The line of that option comment.
    package var optionsLine: Int?
    /// The nearest heading before the block, if any.
    package var heading: String?
    /// Every content line between the opening and closing lines.
    package var lines: [SessionLine]
    package var commands: [Command]
    /// The file holding this block's lines when it is not the transcript's own (a session a
    /// sidecar inserts); nil for the document's blocks. Line numbers are that file's.
    package var origin: String?
    /// A block with text but no command at all (output shown alone, a listing): an illustration,
    /// which is reported as skipped. Its first non-blank line, for `--strict`'s error.
    package var illustration: ExpectedLine?

    package init(delimiters: Delimiters, isHidden: Bool = false, openingLine: Int, closingLine: Int,
                 options: Options = Options(), optionsLine: Int? = nil, heading: String? = nil, lines: [SessionLine] = [], commands: [Command] = []) {
        self.delimiters = delimiters
        self.isHidden = isHidden
        self.openingLine = openingLine
        self.closingLine = closingLine
        self.options = options
        self.optionsLine = optionsLine
        self.heading = heading
        self.lines = lines
        self.commands = commands
    }
}

/// One content line of a session block, with the exact prefix (container markers, indentation)
/// that was stripped from it, so update mode can write it back.
package struct SessionLine: Sendable, Hashable {
    /// 1-based line number in the source file.
    package var line: Int
    /// The bytes before `content` in the source line.
    package var prefix: String
    /// The line's content as the session sees it.
    package var content: String

    package init(line: Int, prefix: String, content: String) {
        self.line = line
        self.prefix = prefix
        self.content = content
    }

    /// 1-based column at which `content` starts.
    package var contentColumn: Int { prefix.count + 1 }
}
