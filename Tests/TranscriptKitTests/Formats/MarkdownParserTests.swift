import Testing
@testable import TranscriptKit

/// Parses `lines` (joined with "\n") as `t.md`, failing the test on diagnostics.
func markdownTranscript(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> Transcript? {
    do {
        return try MarkdownParser.parse(SourceFile(path: "t.md", text: lines.joined(separator: "\n") + "\n"))
    } catch {
        Issue.record("unexpected diagnostics:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The diagnostics parsing `lines` produces (empty when it succeeds).
func markdownDiagnostics(_ lines: [String]) -> [Diagnostic] {
    do {
        _ = try MarkdownParser.parse(SourceFile(path: "t.md", text: lines.joined(separator: "\n") + "\n"))
        return []
    } catch {
        return error.items
    }
}

/// Each block's content lines, as (prefix, content) pairs.
func markdownBlockLines(_ transcript: Transcript?) -> [[SessionLineText]] {
    (transcript?.blocks ?? []).map { $0.lines.map { SessionLineText(prefix: $0.prefix, content: $0.content) } }
}

struct SessionLineText: Equatable, CustomStringConvertible {
    var prefix: String
    var content: String
    init(prefix: String, content: String) {
        self.prefix = prefix
        self.content = content
    }
    init(_ prefix: String, _ content: String) { self.init(prefix: prefix, content: content) }
    var description: String { "(\(prefix.debugDescription), \(content.debugDescription))" }
}

@Suite("Markdown: fences")
struct MarkdownFenceTests {
    @Test func emptyDocumentHasNoBlocks() throws {
        let transcript = markdownTranscript([])
        #expect(transcript?.blocks.isEmpty == true)
    }

    @Test(arguments: ["```", "~~~", "````", "~~~~~"])
    func fenceKindsAndLengths(fence: String) throws {
        let transcript = markdownTranscript([
            "# Title", "", fence + "console", "$ echo hi", "hi", fence, "after",
        ])
        let block = try #require(transcript?.blocks.first)
        #expect(transcript?.blocks.count == 1)
        #expect(block.delimiters == SessionBlock.Delimiters(opening: fence, info: "console", closing: fence))
        #expect(!block.isHidden)
        #expect(block.openingLine == 3)
        #expect(block.closingLine == 6)
        #expect(block.heading == "Title")
        #expect(block.commands.count == 1)
        #expect(block.commands.first?.text == "echo hi")
        #expect(block.commands.first?.expected.map(\.text) == ["hi"])
    }

    @Test(arguments: [
        ("console", true), ("shell-session", true), ("sh-session", true), ("console title=x", true),
        ("  console  ", true), ("console\tfoo", true), ("bash", false), ("sh", false), ("Console", false),
        ("consoles", false), ("", false), ("shell", false), ("{.console}", false),
    ])
    func infoStringFirstWord(info: String, isSession: Bool) {
        let transcript = markdownTranscript(["```" + info, "$ true", "```"])
        #expect((transcript?.blocks.count == 1) == isSession)
    }

    @Test func infoStringIsKeptWhole() throws {
        let block = try #require(markdownTranscript(["``` console title=\"x y\"  ", "$ true", "```"])?.blocks.first)
        #expect(block.delimiters.info == "console title=\"x y\"")
    }

    @Test func backtickFenceInfoMayNotContainBacktick() {
        // "```console `x`" is not a fence at all, so the lines are a paragraph.
        #expect(markdownTranscript(["```console `x`", "$ true", "```"])?.blocks.isEmpty == true)
        // A tilde fence's info string may hold backticks.
        #expect(markdownTranscript(["~~~console `x`", "$ true", "~~~"])?.blocks.count == 1)
    }

    @Test func closingFenceMustMatchCharacterAndLength() throws {
        let block = try #require(markdownTranscript([
            "````console", "$ cat x.md", "```", "~~~~", "```` x", "````   ", "after",
        ])?.blocks.first)
        #expect(block.closingLine == 6)
        #expect(block.commands.first?.expected.map(\.text) == ["```", "~~~~", "```` x"])
    }

    @Test func longerClosingFenceCloses() throws {
        let block = try #require(markdownTranscript(["```console", "$ true", "`````", "after"])?.blocks.first)
        #expect(block.closingLine == 3)
    }

    @Test func nonSessionBlocksAreSkipped() {
        let transcript = markdownTranscript([
            "````markdown",
            "```console",
            "$ not run",
            "```",
            "<!-- transcript",
            "$ not run either",
            "-->",
            "````",
            "",
            "~~~bash",
            "```console",
            "~~~",
            "",
            "```console",
            "$ run",
            "```",
        ])
        #expect(transcript?.blocks.count == 1)
        #expect(transcript?.blocks.first?.openingLine == 14)
        #expect(transcript?.blocks.first?.commands.map(\.text) == ["run"])
    }

    @Test func unclosedNonSessionFenceSwallowsTheRest() {
        #expect(markdownTranscript(["```text", "```console", "$ x"])?.blocks.isEmpty == true)
    }

    @Test(arguments: [1, 2, 3])
    func indentedFenceStripsItsIndentation(indent: Int) throws {
        let pad = String(repeating: " ", count: indent)
        let block = try #require(markdownTranscript([
            pad + "```console", pad + "$ echo a", "  b", "      c", "", pad + "```",
        ])?.blocks.first)
        let stripped = min(indent, 2)
        #expect(markdownBlockLines(markdownTranscript([pad + "```console", pad + "$ echo a", pad + "```"])) ==
            [[SessionLineText(pad, "$ echo a")]])
        #expect(block.lines[1] == SessionLine(line: 3, prefix: String(repeating: " ", count: stripped),
                                              content: String(repeating: " ", count: 2 - stripped) + "b"))
        #expect(block.lines[2].prefix == pad)
        #expect(block.lines[2].content == String(repeating: " ", count: 6 - indent) + "c")
        #expect(block.commands.first?.column == indent + 1)
    }

    @Test func fourSpacesMakeIndentedCodeNotAFence() {
        #expect(markdownTranscript(["    ```console", "    $ true", "    ```"])?.blocks.isEmpty == true)
        #expect(markdownTranscript(["\t```console", "\t$ true", "\t```"])?.blocks.isEmpty == true)
    }

    @Test func indentedLineInParagraphIsNotCode() throws {
        // Four spaces after a paragraph line continue the paragraph; the fence after it counts.
        let transcript = markdownTranscript(["text", "    ```console", "```console", "$ true", "```"])
        #expect(transcript?.blocks.count == 1)
        #expect(transcript?.blocks.first?.openingLine == 3)
    }

    @Test func fenceInterruptsParagraph() {
        #expect(markdownTranscript(["Some text", "```console", "$ true", "```"])?.blocks.count == 1)
    }

    @Test func crlfLineEndings() throws {
        let text = "# T\r\n\r\n```console\r\n$ echo hi\r\nhi\r\n```\r\n"
        let transcript = try MarkdownParser.parse(SourceFile(path: "t.md", text: text))
        let block = try #require(transcript.blocks.first)
        #expect(block.closingLine == 6)
        #expect(block.commands.first?.text == "echo hi")
        #expect(block.commands.first?.expected.map(\.text) == ["hi"])
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let transcript = try MarkdownParser.parse(SourceFile(path: "t.md", text: "\u{FEFF}```console\n$ true\n```\n"))
        #expect(transcript.blocks.first?.commands.map(\.text) == ["true"])
    }

    @Test func lastLineWithoutNewline() throws {
        let transcript = try MarkdownParser.parse(SourceFile(path: "t.md", text: "```console\n$ true\n```"))
        #expect(transcript.blocks.first?.closingLine == 3)
    }
}

@Suite("Markdown: headings")
struct MarkdownHeadingTests {
    @Test(arguments: [
        ("# Title", "Title"), ("## Title ##", "Title"), ("###   Spaced   ", "Spaced"), ("# Title#", "Title#"),
        ("#", ""), ("### ###", ""), ("  # Indented", "Indented"), ("# a # b #", "a # b"),
    ])
    func atxHeadings(line: String, title: String) {
        let transcript = markdownTranscript([line, "```console", "$ true", "```"])
        #expect(transcript?.blocks.first?.heading == title)
    }

    @Test func notHeadings() {
        #expect(markdownTranscript(["#Title", "```console", "$ true", "```"])?.blocks.first?.heading == nil)
        #expect(markdownTranscript(["####### seven", "```console", "$ true", "```"])?.blocks.first?.heading == nil)
        #expect(markdownTranscript(["    # code", "", "```console", "$ true", "```"])?.blocks.first?.heading == nil)
    }

    @Test func setextHeadings() {
        let transcript = markdownTranscript([
            "First", "part", "=====", "", "```console", "$ true", "```",
            "Second", "---", "```console", "$ true", "```",
        ])
        #expect(transcript?.blocks.map(\.heading) == ["First part", "Second"])
    }

    @Test func nearestHeadingWins() {
        let transcript = markdownTranscript([
            "# One", "```console", "$ true", "```", "## Two", "> ```console", "> $ true", "> ```",
            "```text", "# not a heading", "```", "```console", "$ true", "```",
        ])
        #expect(transcript?.blocks.map(\.heading) == ["One", "Two", "Two"])
    }

    @Test func thematicBreakIsNotSetext() {
        let transcript = markdownTranscript(["# H", "", "---", "```console", "$ true", "```"])
        #expect(transcript?.blocks.first?.heading == "H")
    }
}
