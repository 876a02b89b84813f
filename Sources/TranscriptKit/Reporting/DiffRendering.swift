import Foundation

/// What every report shows of a failing or diverging block: each failing command's `path:line`,
/// the line it ran as, the diff of expected against actual, the exit status where it differs and
/// its messages, as plain lines (coloured only when the style says so).
package struct DiffRendering: Sendable {
    /// A block's lines: one group per failing command, then the note on commands not run.
    package struct BlockLines: Sendable, Equatable {
        package var commands: [[String]]
        package var notRun: String?
    }

    package var style: Style
    /// Unchanged lines kept on each side of a diff's changes before a run of them is shortened.
    let context = 3

    package init(style: Style = Style(color: false)) {
        self.style = style
    }

    /// The block's failing commands as plain lines, without indentation.
    package func lines(_ block: BlockOutcome, path: String) -> BlockLines {
        var rendered = BlockLines(commands: [], notRun: nil)
        var notRun: [CommandOutcome] = []
        for command in block.commands {
            switch command.status {
            case .passed: continue
            case .notRun: notRun.append(command)
            case .failed: rendered.commands.append(lines(command, path: path))
            }
        }
        if let first = notRun.first {
            rendered.notRun = "\(path):\(first.line): \(notRun.count) command\(notRun.count == 1 ? "" : "s") from here not run"
        }
        return rendered
    }

    /// The text machine reports carry: commands apart by a blank line, nothing indented.
    package func plainText(_ block: BlockOutcome, path: String) -> String {
        text(lines(block, path: path), indent: "").trimmingCharacters(in: .newlines)
    }

    /// The text the terminal report shows: each command after a blank line, every line indented.
    package func indentedText(_ block: BlockOutcome, path: String, indent: String = "  ") -> String {
        text(lines(block, path: path), indent: indent)
    }

    /// One failing command: its header, the line it ran as, the diff or what a killed command
    /// printed, the exit status where it differs, and its messages.
    package func lines(_ command: CommandOutcome, path: String) -> [String] {
        var lines = split(style.bold("\(path):\(command.line): $ \(firstLine(command.text))"))
        if let ran = command.ranText {
            lines += split(style.dim("ran as: $ \(firstLine(ran))"))
        }
        if let match = command.match, !match.passed {
            lines += diffLines(match.diff)
        } else if let result = command.result, result.timedOut {
            // What the command printed before it was killed, even where it matched.
            var printed = String(decoding: result.output, as: UTF8.self)
            if printed.hasSuffix("\n") { printed.removeLast() }
            if !printed.isEmpty {
                let bounds = DiffBounds()
                let printedLines = split(printed)
                lines += printedLines.prefix(bounds.maximumChanges).map { " " + bounds.shortened($0) }
                if printedLines.count > bounds.maximumChanges {
                    lines += split(style.dim("@@ \(printedLines.count - bounds.maximumChanges) more lines of output not shown @@"))
                }
            }
        }
        if let match = command.match, let note = match.unshownNote {
            lines += split(note + ":") + match.unshownOutput.flatMap { split(" " + $0) }
        }
        if command.exitMismatch, let result = command.result {
            lines += split("exit status: expected \(command.expectedExit ?? 0), got \(result.exitStatus)")
        }
        for message in command.messages {
            lines += split(message)
        }
        return lines
    }

    /// Diff lines, long runs of unchanged lines shortened to their ends.
    package func diffLines(_ diff: [DiffLine]) -> [String] {
        var lines: [String] = []
        var index = 0
        while index < diff.count {
            guard diff[index].kind == .same else {
                let line = diff[index]
                switch line.kind {
                case .expected: lines += split(style.red("-" + line.text))
                case .omitted: lines += split(style.dim("@@ \(line.text) @@"))
                default: lines += split(style.green("+" + line.text))
                }
                index += 1
                continue
            }
            var end = index
            while end < diff.count, diff[end].kind == .same { end += 1 }
            lines += unchanged(diff[index..<end], leading: index == 0 ? 0 : context, trailing: end == diff.count ? 0 : context)
            index = end
        }
        return lines
    }

    /// A run of unchanged lines, shortened to `leading` and `trailing` lines around a count.
    func unchanged(_ run: ArraySlice<DiffLine>, leading: Int, trailing: Int) -> [String] {
        guard run.count > leading + trailing + 1 else {
            return run.flatMap { split(" " + $0.text) }
        }
        var lines = run.prefix(leading).flatMap { split(" " + $0.text) }
        lines += split(style.dim("@@ \(run.count - leading - trailing) matching lines @@"))
        lines += run.suffix(trailing).flatMap { split(" " + $0.text) }
        return lines
    }

    /// A command's first line, with ` ...` when more follow.
    func firstLine(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 1 ? String(lines[0]) + " ..." : text
    }

    func split(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func text(_ block: BlockLines, indent: String) -> String {
        var text = ""
        for command in block.commands {
            text += "\n" + command.map { indent + $0 + "\n" }.joined()
        }
        if let notRun = block.notRun {
            text += split(notRun).map { indent + $0 }.joined(separator: "\n") + "\n"
        }
        return text
    }
}
