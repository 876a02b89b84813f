/// What `transcript convert` does alike for every format it reads: a block's commands and
/// expected lines written as the lines of a ```console block.
enum MarkdownConversion {
    /// The lines of `block` in Markdown: `$ ` and `> ` command lines, each expected line as
    /// `convert` writes it, `[N]`. A command that ends in a backslash and is followed by more
    /// lines is an error: in Markdown the next line would continue it.
    static func sessionLines(_ block: SessionBlock, file: String,
                             convert: (ExpectedLine, Command) throws(Diagnostic) -> String) throws(Diagnostic) -> [String] {
        var lines: [String] = []
        for (index, command) in block.commands.enumerated() {
            let parts = command.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (offset, part) in parts.enumerated() { lines.append((offset == 0 ? "$ " : "> ") + part) }
            let followed = !command.expected.isEmpty || command.exitStatus != nil || index < block.commands.count - 1
            if followed, let last = parts.last, SessionCommandParser.endsInLineContinuation(String(last)) {
                throw Diagnostic(file: file, line: command.lastLine, column: command.column,
                                 message: "a command ending in a backslash cannot be converted faithfully",
                                 help: "in Markdown the next line would continue the command; end the command without a backslash")
            }
            for line in command.expected { lines.append(try convert(line, command)) }
            if let status = command.exitStatus { lines.append("[\(status.status)]") }
        }
        return lines
    }
}
