import Testing
@testable import TranscriptKit

@Suite("Markdown: diagnostics")
struct MarkdownDiagnosticsTests {
    @Test func textBeforeFirstCommand() throws {
        let diagnostics = markdownDiagnostics(["# T", "```console", "", "  ls -l", "$ ls", "```"])
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.description == """
            t.md:4:3: error: text before the first command of a session block
              help: start the block with a `$ ` command, or move this text out of the block
            """)
    }

    @Test func textBeforeFirstCommandInContainers() {
        #expect(markdownDiagnostics(["- > ```console", "  > output", "  > ```"]).map(\.location) == ["t.md:2:5"])
        #expect(markdownDiagnostics(["<!-- transcript", "   x", "-->"]).map(\.location) == ["t.md:2:4"])
    }

    @Test func promptWithoutSpaceGetsANote() {
        let diagnostics = markdownDiagnostics(["```console", "$ls", "```"])
        #expect(diagnostics.first?.notes.first?.contains("`$ ` followed by the command") == true)
    }

    @Test func oneErrorPerBlockForTextBeforeCommands() {
        let diagnostics = markdownDiagnostics(["```console", "a", "b", "c", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:2:1"])
    }

    @Test(arguments: ["```", "~~~~"])
    func unclosedAtEndOfFile(fence: String) throws {
        let diagnostics = markdownDiagnostics(["Text", "", "  " + fence + "console", "  $ true", ""])
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.location == "t.md:3:3")
        #expect(diagnostic.message == "the session block opened here is never closed")
        #expect(diagnostic.notes == ["help: add a closing \(fence) fence"])
    }

    @Test func unclosedHiddenSession() {
        let diagnostics = markdownDiagnostics(["<!-- transcript", "$ true"])
        #expect(diagnostics.map(\.location) == ["t.md:1:1"])
        #expect(diagnostics.first?.message == "the hidden session opened here is never closed")
        #expect(diagnostics.first?.notes == ["help: end it with a line `-->`"])
    }

    @Test func hiddenSessionCutOffByBlockQuote() {
        let diagnostics = markdownDiagnostics(["> <!-- transcript", "> $ true", "-->"])
        #expect(diagnostics.map(\.location) == ["t.md:1:3"])
        #expect(diagnostics.first?.message == "the hidden session opened here is cut off at line 3, where its block quote ends")
    }

    @Test func arrowInsideHiddenSession() {
        let diagnostics = markdownDiagnostics(["<!-- transcript", "$ echo '-->'", "-->"])
        #expect(diagnostics.map(\.location) == ["t.md:2:9"])
        #expect(diagnostics.first?.notes.contains("note: the hidden session starts at line 1") == true)
        #expect(markdownDiagnostics(["<!-- transcript", "$ echo 'é→-->'", "-->"]).map(\.location) == ["t.md:2:11"])
    }

    @Test func allProblemsAreReportedInOrder() {
        let diagnostics = markdownDiagnostics([
            "<!-- transcript: exact -->",   // 1: followed by text
            "Text.",
            "```console",                   // 3
            "oops",                         // 4: text before the first command
            "```",
            "<!-- transcript: bogus -->",   // 6: unknown option
            "```console",
            "$ true",
            "```",
            "```sh-session",                // 10: never closed
            "$ true",
        ])
        #expect(diagnostics.map(\.location) == ["t.md:1:1", "t.md:4:1", "t.md:6:18", "t.md:10:1"])
    }

    @Test func diagnosticsAreThrownAsOneError() {
        #expect(throws: Diagnostics.self) {
            try MarkdownParser.parse(SourceFile(path: "t.md", text: "```console\nx\n```\n"))
        }
    }
}
