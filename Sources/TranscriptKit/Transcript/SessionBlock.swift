/// A session: a ```console (or shell-session, sh-session) fence, or a hidden `<!-- transcript` comment.
package struct SessionBlock: Sendable {
    package enum Kind: Sendable, Hashable {
        /// A fenced code block; `info` is the whole info string, e.g. "console title=x".
        case fenced(info: String)
        /// An HTML comment starting with a `<!-- transcript` line.
        case hidden
    }

    package var kind: Kind
    /// The line of the opening fence or of `<!-- transcript` (1-based).
    package var openingLine: Int
    /// The line of the closing fence or `-->`.
    package var closingLine: Int
    /// The block's own options (from a preceding `<!-- transcript: ... -->` comment), not merged.
    package var options: Options
    /// The line of that option comment.
    package var optionsLine: Int?
    /// The nearest ATX or setext heading before the block, if any.
    package var heading: String?
    /// Every content line between the opening and closing lines.
    package var lines: [SessionLine]
    package var commands: [Command]

    package init(kind: Kind, openingLine: Int, closingLine: Int, options: Options = Options(), optionsLine: Int? = nil,
                 heading: String? = nil, lines: [SessionLine] = [], commands: [Command] = []) {
        self.kind = kind
        self.openingLine = openingLine
        self.closingLine = closingLine
        self.options = options
        self.optionsLine = optionsLine
        self.heading = heading
        self.lines = lines
        self.commands = commands
    }

    /// Whether this is a hidden session.
    package var isHidden: Bool { kind == .hidden }
}

/// One content line of a session block, with the exact prefix (block quote markers, list
/// indentation, fence indentation) that was stripped from it, so update mode can write it back.
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
