/// In a document as written, pages often show a failing command's status the way a reader
/// would check it: the next command is `echo $?` and prints the number. Such a command, written
/// without `[N]`, is expected to exit with that number.
enum StatusShownByEcho {
    /// Per command of `block`, the status the page shows by a following `echo $?`; nil where it
    /// shows none (or writes `[N]` itself, or is not read as written).
    static func statuses(in block: SessionBlock, options: Options) -> [Int32?] {
        let commands = block.commands
        guard options.isAsWritten else { return Array(repeating: nil, count: commands.count) }
        return commands.indices.map { index in
            guard commands[index].exitStatus == nil, index + 1 < commands.count else { return nil }
            return shownStatus(commands[index + 1])
        }
    }

    /// The number an `echo $?` command is shown printing, when it is one.
    static func shownStatus(_ command: Command) -> Int32? {
        let words = command.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words == ["echo", "$?"] || words == ["echo", "\"$?\""] else { return nil }
        let lines = command.expected.map { $0.text.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count == 1, let value = Int32(lines[0]), (0...255).contains(value) else { return nil }
        return value
    }
}
