/// A session a sidecar inserts (`before = '''...'''`, `after`): its text read as the content of a
/// console block whose lines are the sidecar's own, so reports and errors point into the sidecar.
enum SidecarSession {
    /// The hidden block `text` holds; `at` is where the key and its string are written in `file`.
    static func parse(_ text: String, key: String, at: TOMLLayout.KeyPosition, file: String) -> Result<SessionBlock, Diagnostics> {
        var contents = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if contents.last == "" { contents.removeLast() }
        let lines = contents.enumerated().map { offset, content in
            // The first line keeps its column when the string starts on the key's line.
            SessionLine(line: at.valueLine + offset,
                        prefix: offset == 0 ? String(repeating: " ", count: max(0, at.valueColumn - 1)) : "",
                        content: content.hasSuffix("\r") ? String(content.dropLast()) : content)
        }
        let (commands, problems) = SessionCommandParser.commands(in: lines, closingLine: at.endLine, file: file)
        if !problems.isEmpty { return .failure(Diagnostics(problems)) }
        guard !commands.isEmpty else {
            return .failure(Diagnostics([Diagnostic(file: file, line: at.line, column: at.column, message: "'\(key)' holds no `$ ` command",
                                                    help: "write the session as in a console block: `$ COMMAND` lines, each followed by its output")]))
        }
        var block = SessionBlock(delimiters: SessionBlock.Delimiters(opening: key, closing: ""), isHidden: true,
                                 openingLine: at.line, closingLine: at.endLine, lines: lines, commands: commands)
        block.origin = file
        return .success(block)
    }
}
