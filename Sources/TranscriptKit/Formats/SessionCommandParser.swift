/// Splits a session's content lines into commands and their expected output (FORMAT.md section 2).
package enum SessionCommandParser {
    /// The commands of a session whose content is `lines` and whose closing fence (or `-->`) is
    /// on line `closingLine`; a non-blank line before the first command is reported. With
    /// `oneCommand` (scrut's test cases) only `> ` lines continue the command, and every line
    /// after it is its expected output, `$ ` lines too.
    package static func commands(in lines: [SessionLine], closingLine: Int, file: String,
                                 oneCommand: Bool = false) -> (commands: [Command], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var commands: [Command] = []
        var index = 0

        while index < lines.count, commandText(lines[index].content) == nil {
            let line = lines[index]
            if let offset = firstNonBlankOffset(line.content), diagnostics.isEmpty {
                diagnostics.append(textBeforeFirstCommand(line, offset: offset, file: file))
            }
            index += 1
        }

        while index < lines.count, let first = commandText(lines[index].content) {
            let start = lines[index]
            var parts = [first]
            var last = index
            var continues = endsInLineContinuation(start.content)
            index += 1
            while index < lines.count {
                let content = lines[index].content
                if let continuation = promptContinuation(content) {
                    parts.append(continuation)
                } else if continues, !oneCommand {
                    parts.append(content)
                } else {
                    break
                }
                continues = endsInLineContinuation(content)
                last = index
                index += 1
            }

            var expected: [ExpectedLine] = []
            while index < lines.count, oneCommand || commandText(lines[index].content) == nil {
                let line = lines[index]
                expected.append(ExpectedLine(text: line.content, line: line.line, column: line.contentColumn))
                index += 1
            }
            // Blank lines after `[N]` only separate this command from the next; they do not hide it.
            var exitStatus: ExitStatusLine?
            if let position = expected.lastIndex(where: { firstNonBlankOffset($0.text) != nil }),
               let status = parseExitStatus(expected[position].text) {
                exitStatus = ExitStatusLine(status: status, line: expected[position].line)
                expected.remove(at: position)
            }
            let outputStart = lines[last].line + 1
            let outputEnd = index < lines.count ? lines[index].line : closingLine
            commands.append(Command(line: start.line, column: start.contentColumn, text: parts.joined(separator: "\n"),
                                    lastLine: lines[last].line, expected: expected, exitStatus: exitStatus,
                                    outputLines: outputStart..<max(outputStart, outputEnd)))
        }
        return (commands, diagnostics)
    }

    /// The command text of a line that starts a command (`$ CMD`, or `$` with nothing but
    /// white space after it for an empty command), or nil for any other line.
    package static func commandText(_ content: String) -> String? {
        let utf8 = content.utf8
        guard utf8.first == UInt8(ascii: "$") else { return nil }
        let rest = utf8.dropFirst()
        if rest.allSatisfy(MarkdownByte.isSpaceOrTab) { return "" }
        guard rest.first == MarkdownByte.space else { return nil }
        return String(decoding: rest.dropFirst(), as: UTF8.self)
    }

    /// The text of a `> ` continuation line, or nil. A line that is just `>` does not start with
    /// `> `, so it is output (FORMAT.md section 2); an empty line of a here-document is `> `.
    package static func promptContinuation(_ content: String) -> String? {
        let utf8 = content.utf8
        guard utf8.first == MarkdownByte.greaterThan else { return nil }
        let rest = utf8.dropFirst()
        guard rest.first == MarkdownByte.space else { return nil }
        return String(decoding: rest.dropFirst(), as: UTF8.self)
    }

    /// Whether `content` ends in an unescaped backslash, which continues it on the next line.
    package static func endsInLineContinuation(_ content: String) -> Bool {
        var count = 0
        for byte in content.utf8.reversed() {
            guard byte == UInt8(ascii: "\\") else { break }
            count += 1
        }
        return count % 2 == 1
    }

    /// The status written as `[N]`, N from 1 to 255 without sign or leading zeros, trailing
    /// white space allowed; nil for any other line (`[0]` and `[256]` are ordinary output).
    package static func parseExitStatus(_ text: String) -> Int32? {
        var utf8 = Substring(text).utf8[...]
        while let last = utf8.last, MarkdownByte.isSpaceOrTab(last) { utf8 = utf8.dropLast() }
        guard utf8.count >= 3, utf8.count <= 5, utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") else {
            return nil
        }
        let digits = utf8.dropFirst().dropLast()
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.allSatisfy(MarkdownByte.isDigit) else { return nil }
        var value: Int32 = 0
        for digit in digits { value = value * 10 + Int32(digit - UInt8(ascii: "0")) }
        return value <= 255 ? value : nil
    }

    /// The character offset of the first character other than a space or tab, or nil for a blank line.
    static func firstNonBlankOffset(_ text: String) -> Int? {
        var offset = 0
        for byte in text.utf8 {
            if !MarkdownByte.isSpaceOrTab(byte) { return offset }
            offset += 1
        }
        return nil
    }

    /// The first non-blank line of a session without any command (an illustration), or nil when
    /// every line is blank, or when it starts with `$` (a command written without its space, which
    /// stays an error).
    package static func illustration(in lines: [SessionLine]) -> ExpectedLine? {
        for line in lines {
            if let offset = firstNonBlankOffset(line.content) {
                if line.content.dropFirst(offset).hasPrefix("$") { return nil }
                return ExpectedLine(text: line.content, line: line.line, column: line.contentColumn + offset)
            }
        }
        return nil
    }

    private static func textBeforeFirstCommand(_ line: SessionLine, offset: Int, file: String) -> Diagnostic {
        var notes: [String] = []
        let trimmed = String(line.content.dropFirst(offset))
        if trimmed.hasPrefix("$") || trimmed.hasPrefix("%") || trimmed.hasPrefix("#") {
            notes.append("note: a command is written `$ ` followed by the command, with nothing before the `$`")
        }
        return Diagnostic(file: file, line: line.line, column: line.contentColumn + offset,
                          message: "text before the first command of a session block",
                          help: "start the block with a `$ ` command, or move this text out of the block", notes: notes)
    }
}
