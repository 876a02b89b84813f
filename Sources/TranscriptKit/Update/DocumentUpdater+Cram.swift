import Foundation

/// Update for a cram `.t` file, as `cram -i` rewrites one: the lines that matched stay as
/// written, the others become the output as cram displays it (`CramDisplay`), and `[N]` follows.
extension DocumentUpdater {
    /// The change for one failing command of a `.t` file, or nil when its lines stay.
    func cramChange(block: SessionBlock, blockIndex: Int, commandIndex: Int, outcome: CommandOutcome,
                    result: CommandResult) -> CommandChange? {
        let command = block.commands[commandIndex]
        var core: [NewLine]
        if let match = outcome.match, !match.passed {
            core = match.diff.compactMap { entry in
                switch entry.kind {
                case .same: return entry.line.map(NewLine.kept)
                case .actual: return .written(entry.text)
                case .expected, .omitted: return nil
                }
            }
        } else {
            core = command.expected.map { .kept($0.line) }
        }
        core = core.enumerated().map { index, line in
            guard case .written(let text) = line else { return line }
            return .written(Self.cramReadable(text, first: index == 0, last: index == core.count - 1))
        }
        let status: Int32? = result.exitStatus == 0 ? nil : result.exitStatus
        let rebuilt = region(of: command, in: block, core: core, compared: Set(command.expected.map(\.line)),
                             insertion: command.expected.first?.line, status: status, blankKeepsPrefix: true)
        return narrowed(command: command, blockIndex: blockIndex, commandIndex: commandIndex,
                        replacement: rebuilt.replacement, contents: rebuilt.contents, status: status)
    }

    /// An output line that would read back as a command (`$ `), a continuation right after the
    /// command (`> `) or, last, an exit status (`[N]`), written with its first byte escaped.
    static func cramReadable(_ text: String, first: Bool, last: Bool) -> String {
        let misread = text.hasPrefix("$ ") || (first && text.hasPrefix("> ")) || (last && CramParser.exitStatus(text) != nil)
        guard misread, let head = text.unicodeScalars.first else { return text }
        let rest = String(text.unicodeScalars.dropFirst())
        let escapedHead = "\\x" + String(head.value, radix: 16)
        // A displayed line is ASCII unless escaped already, and then it keeps its one ` (esc)`.
        if text.hasSuffix(" (esc)") { return escapedHead + rest }
        return escapedHead + rest.replacingOccurrences(of: "\\", with: "\\\\") + " (esc)"
    }
}
