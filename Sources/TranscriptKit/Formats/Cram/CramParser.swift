/// Reads a cram `.t` file (also prysk's): lines indented by `indent` spaces are the session,
/// `$ ` starts a command, `> ` right after it continues it, any other indented line is expected
/// output (`$` alone too), and every line that is not indented (a blank one too) is prose. Each
/// run of indented lines is a block; a block starts with a command.
struct CramParser {
    let source: SourceFile
    let indent: Int

    /// The transcript: cram's comparison, environment, skip status and shell as file options.
    func parse() throws(Diagnostics) -> Transcript {
        var blocks: [SessionBlock] = []
        var problems: [Diagnostic] = []
        var prose: String?
        var number = 1
        let lines = source.lines
        while number <= lines.count {
            guard let first = content(of: lines[number - 1]) else {
                let text = lines[number - 1].trimmingWhitespace
                if !text.isEmpty { prose = text }
                number += 1
                continue
            }
            var sessionLines = [SessionLine(line: number, prefix: prefix, content: first)]
            var end = number + 1
            while end <= lines.count, let next = content(of: lines[end - 1]) {
                sessionLines.append(SessionLine(line: end, prefix: prefix, content: next))
                end += 1
            }
            do {
                blocks.append(try block(sessionLines, closingLine: end, heading: prose))
            } catch {
                problems.append(error)
            }
            number = end
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return Transcript(source: source, fileOptions: Self.fileOptions(indent: indent), blocks: blocks)
    }

    /// What every `.t` file runs with: cram's comparison, exactness, environment and skip status.
    static func fileOptions(indent: Int) -> Options {
        var options = Options()
        options.dialect = .cram(indent: indent)
        options.exact = true
        options.environment = .cram
        options.skipExit = 80
        options.shell = "/bin/sh"
        return options
    }

    private var prefix: String { String(repeating: " ", count: indent) }

    /// The text after the indent, or nil for a line of prose.
    private func content(of line: String) -> String? {
        let utf8 = line.utf8
        guard utf8.count >= indent, utf8.prefix(indent).allSatisfy({ $0 == 0x20 }) else { return nil }
        return String(decoding: utf8.dropFirst(indent), as: UTF8.self)
    }

    /// One block of indented lines.
    private func block(_ lines: [SessionLine], closingLine: Int, heading: String?) throws(Diagnostic) -> SessionBlock {
        if lines[0].content.hasPrefix("$ ") == false {
            throw Diagnostic(file: source.path, line: lines[0].line, column: indent + 1,
                             message: "indented lines with no `$ ` command before them",
                             help: "cram reads them as output of the command before the prose above; move them up under it, or indent the prose less")
        }
        var commands: [Command] = []
        var index = 0
        while index < lines.count {
            let start = lines[index]
            var parts = [String(start.content.dropFirst(2))]
            index += 1
            while index < lines.count, lines[index].content.hasPrefix("> ") {
                parts.append(String(lines[index].content.dropFirst(2)))
                index += 1
            }
            let last = lines[index - 1].line
            var expected: [ExpectedLine] = []
            while index < lines.count, !lines[index].content.hasPrefix("$ ") {
                expected.append(ExpectedLine(text: lines[index].content, line: lines[index].line, column: indent + 1))
                index += 1
            }
            var status: ExitStatusLine?
            if let final = expected.last, let value = Self.exitStatus(final.text) {
                status = ExitStatusLine(status: value, line: final.line)
                expected.removeLast()
            }
            let outputEnd = index < lines.count ? lines[index].line : closingLine
            commands.append(Command(line: start.line, column: indent + 1, text: parts.joined(separator: "\n"), lastLine: last,
                                    expected: expected, exitStatus: status, outputLines: (last + 1)..<max(last + 1, outputEnd)))
        }
        var block = SessionBlock(delimiters: .init(opening: "", closing: ""), openingLine: lines[0].line, closingLine: closingLine,
                                 heading: heading, lines: lines, commands: commands)
        block.illustration = nil
        return block
    }

    /// The status of a `[N]` line exactly as cram writes it (N from 1, no blanks around).
    static func exitStatus(_ text: String) -> Int32? {
        guard text.hasPrefix("["), text.hasSuffix("]"), text.count >= 3 else { return nil }
        let digits = text.dropFirst().dropLast()
        guard digits.first != "0", digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int32(digits),
              value <= 255 else { return nil }
        return value
    }
}
