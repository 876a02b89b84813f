import Testing
@testable import TranscriptKit

@Suite("Markdown: fences in block quotes and list items")
struct MarkdownContainerTests {
    @Test(arguments: ["- ", "+ ", "* ", "1. ", "1) ", "10. ", "-  ", "1.  ", "-   "])
    func listItemContentIndent(marker: String) throws {
        let pad = String(repeating: " ", count: marker.count)
        let transcript = markdownTranscript([
            marker + "Run it:",
            "",
            pad + "```console",
            pad + "$ echo a \\",
            pad + "  b",
            pad + "a b",
            "",
            pad + "```",
            "",
            "Back at the top.",
        ])
        let block = try #require(transcript?.blocks.first)
        #expect(block.openingLine == 3)
        #expect(block.closingLine == 8)
        #expect(markdownBlockLines(transcript) == [[
            SessionLineText(pad, "$ echo a \\"), SessionLineText(pad, "  b"), SessionLineText(pad, "a b"),
            SessionLineText("", ""),
        ]])
        #expect(block.commands.first?.text == "echo a \\\n  b")
        #expect(block.commands.first?.column == marker.count + 1)
        #expect(block.commands.first?.expected.first?.column == marker.count + 1)
    }

    @Test func fenceOnTheItemLine() throws {
        let transcript = markdownTranscript(["- ```console", "  $ true", "  ```", "1.  ```console", "    $ false", "    [1]", "    ```"])
        #expect(transcript?.blocks.count == 2)
        #expect(transcript?.blocks.last?.commands.first?.exitStatus?.status == 1)
        #expect(markdownBlockLines(transcript).first == [SessionLineText("  ", "$ true")])
    }

    @Test func fiveSpacesAfterMarkerStartIndentedCode() {
        // With five spaces the content indent is 2, and the fence line is indented code.
        #expect(markdownTranscript(["-     ```console", "      $ true", "      ```"])?.blocks.isEmpty == true)
    }

    @Test func fenceIndentedInsideListItem() throws {
        let transcript = markdownTranscript(["- item", "", "    ```console", "    $ echo", "     x", "    ```"])
        #expect(markdownBlockLines(transcript) == [[SessionLineText("    ", "$ echo"), SessionLineText("    ", " x")]])
    }

    @Test func whiteSpaceLinesInListItemKeepTheirExtraSpaces() {
        // As in cmark: the item takes its content indentation, the rest is the line's content.
        let transcript = markdownTranscript(["- ```console", "  $ true", "     ", " ", "  ```"])
        #expect(markdownBlockLines(transcript) == [[
            SessionLineText("  ", "$ true"), SessionLineText("  ", "   "), SessionLineText(" ", ""),
        ]])
    }

    @Test func nestedListItems() throws {
        let transcript = markdownTranscript([
            "1. outer",
            "   - inner",
            "",
            "     ```console",
            "     $ true",
            "     ```",
            "   - second inner",
            "     ```console",
            "     $ false",
            "     [2]",
            "     ```",
        ])
        #expect(transcript?.blocks.map(\.openingLine) == [4, 8])
        #expect(markdownBlockLines(transcript).last?.first == SessionLineText("     ", "$ false"))
    }

    @Test func blockQuotes() throws {
        let transcript = markdownTranscript([
            "> Quote:",
            ">",
            "> ```console",
            "> $ echo hi",
            ">hi",
            ">",
            ">  indented",
            "> ```",
        ])
        #expect(markdownBlockLines(transcript) == [[
            SessionLineText("> ", "$ echo hi"), SessionLineText(">", "hi"), SessionLineText(">", ""),
            SessionLineText("> ", " indented"),
        ]])
        #expect(transcript?.blocks.first?.commands.first?.expected.map(\.column) == [2, 2, 3])
    }

    @Test func nestedBlockQuotes() throws {
        let transcript = markdownTranscript(["> > ```console", "> > $ true", ">> x", "> > ```"])
        #expect(markdownBlockLines(transcript) == [[SessionLineText("> > ", "$ true"), SessionLineText(">> ", "x")]])
    }

    @Test func quoteInsideListItem() throws {
        let transcript = markdownTranscript([
            "- A list item with a quote:",
            "",
            "  > ```console",
            "  > $ echo hi",
            "  > hi",
            "  > ```",
            "- next",
        ])
        #expect(markdownBlockLines(transcript) == [[SessionLineText("  > ", "$ echo hi"), SessionLineText("  > ", "hi")]])
        #expect(transcript?.blocks.first?.commands.first?.column == 5)
    }

    @Test func listInsideQuote() throws {
        let transcript = markdownTranscript(["> 1. step", ">", ">    ```console", ">    $ true", ">    ```"])
        #expect(markdownBlockLines(transcript) == [[SessionLineText(">    ", "$ true")]])
    }

    @Test func tabsFollowTabStops() throws {
        // The block quote takes one column of the tab; the rest of it stays as two spaces of content.
        let quoted = markdownTranscript([">\t```console", ">\t$ true", ">\t\tx", ">\t```"])
        #expect(markdownBlockLines(quoted) == [[SessionLineText(">\t", "$ true"), SessionLineText(">\t", "\tx")]])
        // In a list item with content at column 2, a tab at column 1 is consumed in part.
        let listed = markdownTranscript(["- ```console", "  $ true", "\tx", "  ```"])
        #expect(markdownBlockLines(listed).first?.last == SessionLineText("\t", "  x"))
    }

    @Test func lazyContinuationKeepsContainersOpen() throws {
        let transcript = markdownTranscript([
            "- an item whose paragraph",
            "continues lazily",
            "  ```console",
            "  $ true",
            "  ```",
            "> a quote",
            "lazily continued",
            "> ```console",
            "> $ true",
            "> ```",
        ])
        #expect(transcript?.blocks.map(\.openingLine) == [3, 8])
    }

    @Test func thematicBreakIsNotAListItem() {
        let transcript = markdownTranscript(["- - -", "  ```console", "  $ true", "  ```", "* * *"])
        // The indented fence after a thematic break is a top-level fence with indentation 2.
        #expect(markdownBlockLines(transcript) == [[SessionLineText("  ", "$ true")]])
    }

    @Test func unindentedLineEndsListItem() {
        let diagnostics = markdownDiagnostics(["- ```console", "  $ true", "$ false", "  ```"])
        #expect(diagnostics.map(\.location) == ["t.md:1:3"])
        #expect(diagnostics.first?.message.contains("cut off at line 3, where its list item ends") == true)
        #expect(diagnostics.first?.notes.contains { $0.contains("at least 2 columns") } == true)
    }

    @Test func lineWithoutMarkerEndsBlockQuote() {
        let diagnostics = markdownDiagnostics(["> ```console", "> $ true", "$ false", "> ```"])
        #expect(diagnostics.map(\.location) == ["t.md:1:3"])
        #expect(diagnostics.first?.message.contains("cut off at line 3, where its block quote ends") == true)
    }

    @Test func blankLineWithoutMarkerEndsBlockQuote() {
        #expect(markdownDiagnostics(["> ```console", "> $ true", "", "> ```"]).map(\.location) == ["t.md:1:3"])
    }

    @Test func orderedListMustStartAtOneToInterruptParagraph() {
        // "2." cannot interrupt a paragraph, so its line is paragraph text; the bare fence on
        // line 4 opens a (non-session) fence at the top level.
        let transcript = markdownTranscript(["text", "2. ```console", "$ true", "```"])
        #expect(transcript?.blocks.isEmpty == true)
        let interrupting = markdownTranscript(["text", "1. ```console", "   $ true", "   ```"])
        #expect(interrupting?.blocks.count == 1)
    }

    @Test func emptyListItemEndsAtSecondBlankLine() {
        let transcript = markdownTranscript(["-", "", "  ```console", "  $ true", "  ```"])
        #expect(markdownBlockLines(transcript) == [[SessionLineText("  ", "$ true")]])
        let inside = markdownTranscript(["-", "  ```console", "  $ true", "  ```"])
        #expect(markdownBlockLines(inside) == [[SessionLineText("  ", "$ true")]])
    }
}

@Suite("Markdown: HTML blocks")
struct MarkdownHTMLBlockTests {
    @Test func commentedOutFencesAreSkipped() {
        let transcript = markdownTranscript([
            "<!--",
            "```console",
            "$ not run",
            "```",
            "-->",
            "",
            "  <!-- a comment --> ```console",
            "",
            "```console",
            "$ run",
            "```",
        ])
        #expect(transcript?.blocks.map(\.openingLine) == [9])
    }

    @Test(arguments: ["<pre>", "<script type=\"text/x\">", "<textarea>", "<style>", "<PRE>"])
    func rawTextBlocksHideFences(open: String) {
        let close = "</" + open.dropFirst().prefix { $0 != " " && $0 != ">" } + ">"
        let transcript = markdownTranscript([open, "", "```console", "$ not run", "```", "", close, "```console", "$ run", "```"])
        #expect(transcript?.blocks.map(\.openingLine) == [8])
    }

    @Test func blockTagEndsAtBlankLine() {
        let transcript = markdownTranscript([
            "<details>", "<summary>Output</summary>", "```console", "$ hidden in the HTML block", "```",
            "", "```console", "$ run", "```", "</details>",
        ])
        #expect(transcript?.blocks.map(\.openingLine) == [7])
    }

    @Test func completeTagCannotInterruptParagraph() {
        let transcript = markdownTranscript(["text", "<span>", "```console", "$ run", "```"])
        #expect(transcript?.blocks.count == 1)
        let standalone = markdownTranscript(["<span class=\"x\">", "```console", "$ not run", "```"])
        #expect(standalone?.blocks.isEmpty == true)
    }

    @Test func otherHTMLKinds() {
        let transcript = markdownTranscript([
            "<?php", "```console", "?>", "<!DOCTYPE html", "```console", ">", "<![CDATA[", "```console", "]]>",
            "```console", "$ run", "```",
        ])
        #expect(transcript?.blocks.map(\.openingLine) == [10])
    }
}
