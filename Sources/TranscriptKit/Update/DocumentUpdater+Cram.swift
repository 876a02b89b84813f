import Foundation

/// Update for a cram `.t` file, as `cram -i` rewrites one (and for a scrut block alike): the
/// lines that matched stay as written, the others become the output as the diff shows it
/// (cram's display, `CramDisplay`; for scrut, `(esc)` and `(no-eol)` as elsewhere), and `[N]`
/// follows.
extension DocumentUpdater {
    /// The change for one failing command, or nil when its lines stay. `readable` writes an
    /// output line so that it reads back as itself (given whether it is the first and the last).
    func cramChange(block: SessionBlock, blockIndex: Int, commandIndex: Int, outcome: CommandOutcome,
                    result: CommandResult, blankKeepsPrefix: Bool,
                    readable: (String, Bool, Bool) -> String, spelled: ((DiffLine) -> String)? = nil) -> CommandChange? {
        let command = block.commands[commandIndex]
        var core: [NewLine]
        if let match = outcome.match, !match.passed {
            core = match.diff.compactMap { entry in
                switch entry.kind {
                case .same: return entry.line.map(NewLine.kept)
                case .actual: return .written(spelled?(entry) ?? entry.text)
                case .expected, .omitted: return nil
                }
            }
        } else {
            core = command.expected.map { .kept($0.line) }
        }
        core = core.enumerated().map { index, line in
            guard spelled == nil, case .written(let text) = line else { return line }
            return .written(readable(text, index == 0, index == core.count - 1))
        }
        let status: Int32? = result.exitStatus == 0 ? nil : result.exitStatus
        let rebuilt = region(of: command, in: block, core: core, compared: Set(command.expected.map(\.line)),
                             insertion: command.expected.first?.line, status: status, blankKeepsPrefix: blankKeepsPrefix)
        return narrowed(command: command, blockIndex: blockIndex, commandIndex: commandIndex,
                        replacement: rebuilt.replacement, contents: rebuilt.contents, status: status)
    }

    /// An output line that would read back as a command (`$ `), a continuation right after the
    /// command (`> `) or, last, an exit status (`[N]`), written with its first byte escaped.
    static func cramReadable(_ text: String, first: Bool, last: Bool) -> String {
        let misread = text.hasPrefix("$ ") || (first && text.hasPrefix("> ")) || (last && CramParser.exitStatus(text) != nil)
        return misread ? escapingFirstByte(text) : text
    }

    /// `text` with its first character written `\xHH`, as an `(esc)` line.
    static func escapingFirstByte(_ text: String) -> String {
        guard let head = text.unicodeScalars.first, head.isASCII else { return text }
        let rest = String(text.unicodeScalars.dropFirst())
        let escapedHead = "\\x" + String(head.value, radix: 16)
        // A displayed line is ASCII unless escaped already, and then it keeps its one ` (esc)`.
        if text.hasSuffix(" (esc)") { return escapedHead + rest }
        return escapedHead + rest.replacingOccurrences(of: "\\", with: "\\\\") + " (esc)"
    }

    /// A scrut block's actual line (by its diff entry) as an expectation: `(esc)` for control
    /// bytes, `(no-eol)` for a missing newline, from the bytes (CRLF read as LF unless kept).
    static func scrutSpelling(_ output: [UInt8], keepCRLF: Bool) -> (DiffLine) -> String {
        let text = keepCRLF ? output : output.replacingBytes([0x0D, 0x0A], with: [0x0A])
        let lines = ActualLine.split(text, exact: true)
        return { entry in
            guard let index = entry.actualIndex, index < lines.count else { return entry.text }
            let line = lines[index]
            let body = ActualLine.escapedIfNeeded(line.bytes).map { $0 + " (esc)" }
                ?? Self.scrutReadable(String(decoding: line.bytes, as: UTF8.self), first: true, last: true)
            return body + (line.noEOL ? " (no-eol)" : "")
        }
    }

    /// A scrut output line that would read back as something else: one ending in what reads as
    /// a kind or quantifier gets ` (equal)`; a command, continuation, status or fence line has
    /// its first byte escaped.
    static func scrutReadable(_ text: String, first: Bool, last: Bool) -> String {
        let misread = text.hasPrefix("$ ") || text == "$" || (first && text.hasPrefix("> "))
            || (last && SessionCommandParser.parseExitStatus(text) != nil) || text.hasPrefix("```")
        if misread { return escapingFirstByte(text) }
        guard text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards) else { return text }
        let word = text[open.upperBound...].dropLast()
        let kinds = ["equal", "eq", "no-eol", "escaped", "esc", "glob", "gl", "regex", "re", ""]
        let bare = word.last.map { "?*+".contains($0) } == true ? word.dropLast() : word
        return kinds.contains(String(bare)) ? text + " (equal)" : text
    }
}
