import Foundation

/// CommonMark documents with ```console (shell-session, sh-session) blocks and hidden
/// `<!-- transcript` comments (FORMAT.md).
package struct MarkdownFormat: DocumentFormat {
    package init() {}

    package var name: String { "markdown" }

    package var fileExtensions: [String] { ["md"] }

    package func recognizes(_ text: String) -> Bool { true }

    package func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        try MarkdownParser.parse(source)
    }

    package func mayHoldSessions(_ text: String) -> Bool {
        ["console", "shell-session", "sh-session", "<!--"].contains { text.contains($0) }
    }

    package func contentLineRules(for block: SessionBlock) -> any ContentLineRules {
        if block.isHidden { return MarkdownCommentRules() }
        let fence = Array(block.delimiters.closing.utf8)
        guard let character = fence.first else { return MarkdownFenceRules(character: UInt8(ascii: "`"), length: 3) }
        return MarkdownFenceRules(character: character, length: fence.count)
    }

    /// A ```console fence: the rules `renderBlock` writes lines for (and which a longer fence
    /// would need no more than).
    package var newBlockLineRules: any ContentLineRules { MarkdownFenceRules(character: UInt8(ascii: "`"), length: 3) }

    /// A ```console block (after an option comment when `options` is not empty), with a fence
    /// longer than any backtick run inside.
    package func renderBlock(lines: [String], options: [String], ending: String) -> String {
        var longest = 0
        for line in lines {
            var run = 0
            for character in line {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        var text = ""
        if !options.isEmpty { text += "<!-- transcript: " + options.joined(separator: " ") + " -->" + ending }
        text += fence + "console" + ending
        for line in lines { text += line + ending }
        text += fence + ending
        return text
    }
}
