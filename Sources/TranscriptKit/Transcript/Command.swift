/// A `$ ` command with its continuation lines and the output it is expected to print.
package struct Command: Sendable {
    /// The line of `$` (1-based).
    package var line: Int
    /// The column of `$` (1-based).
    package var column: Int
    /// The command text: its lines without `$ ` / `> `, joined with newlines.
    package var text: String
    /// The last source line of the command text (== `line` for a one-line command).
    package var lastLine: Int
    /// Expected output lines, in order, excluding a final `[N]`.
    package var expected: [ExpectedLine]
    /// The exit status written as `[N]`, if any.
    package var exitStatus: ExitStatusLine?
    /// The source lines holding this command's output: from the line after the command text
    /// to the line before the next command or the block's end (may be empty). Update mode
    /// replaces exactly these lines.
    package var outputLines: Range<Int>

    package init(line: Int, column: Int, text: String, lastLine: Int, expected: [ExpectedLine] = [],
                 exitStatus: ExitStatusLine? = nil, outputLines: Range<Int>) {
        self.line = line
        self.column = column
        self.text = text
        self.lastLine = lastLine
        self.expected = expected
        self.exitStatus = exitStatus
        self.outputLines = outputLines
    }
}

/// One expected line as written, before any interpretation of annotations or placeholders.
package struct ExpectedLine: Sendable, Hashable {
    /// The content (container prefixes and fence indentation removed).
    package var text: String
    /// 1-based source line.
    package var line: Int
    /// 1-based column of the content's first character.
    package var column: Int

    package init(text: String, line: Int, column: Int) {
        self.text = text
        self.line = line
        self.column = column
    }
}

/// A `[N]` line: the exit status a command must end with.
package struct ExitStatusLine: Sendable, Hashable {
    package var status: Int32
    package var line: Int

    package init(status: Int32, line: Int) {
        self.status = status
        self.line = line
    }
}
