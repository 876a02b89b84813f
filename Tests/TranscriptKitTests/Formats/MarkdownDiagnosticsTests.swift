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
        #expect(markdownDiagnostics(["- > ```console", "  > output", "  > $ true", "  > ```"]).map(\.location) == ["t.md:2:5"])
        #expect(markdownDiagnostics(["<!-- transcript", "   x", "-->"]).map(\.location) == ["t.md:2:4"])
    }

    @Test func promptWithoutSpaceGetsANote() {
        let diagnostics = markdownDiagnostics(["```console", "$ls", "```"])
        #expect(diagnostics.first?.notes.first?.contains("`$ ` followed by the command") == true)
    }

    @Test func oneErrorPerBlockForTextBeforeCommands() {
        let diagnostics = markdownDiagnostics(["```console", "a", "b", "c", "$ true", "```"])
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
            "$ true",
            "```",
            "<!-- transcript: bogus -->",   // 7: unknown option
            "```console",
            "$ true",
            "```",
            "```sh-session",                // 11: never closed
            "$ true",
        ])
        #expect(diagnostics.map(\.location) == ["t.md:1:1", "t.md:4:1", "t.md:7:18", "t.md:11:1"])
    }

    @Test func blockWithoutCommandIsAnIllustration() throws {
        let source = SourceFile(path: "t.md", text: "```console\n\n  A volume named \"x\" already exists.\n```\n\n```console\n$ true\n```\n")
        let transcript = try MarkdownParser.parse(source)
        let illustration = try #require(transcript.blocks.first?.illustration)
        #expect((illustration.line, illustration.column) == (3, 3))
        #expect(transcript.blocks.first?.commands.isEmpty == true)
        #expect(transcript.blocks.last?.illustration == nil)
        let strict = try #require(FileRunner.illustrationErrors(transcript))
        #expect(strict.items.map(\.location) == ["t.md:3:3"])
    }

    @Test func hiddenSessionOrDollarWithoutCommandStaysAnError() {
        #expect(markdownDiagnostics(["<!-- transcript", "   x", "-->"]).map(\.location) == ["t.md:2:4"])
        #expect(markdownDiagnostics(["```console", "$ls", "```"]).map(\.location) == ["t.md:2:1"])
        #expect(markdownDiagnostics(["```console", "", "```"]).isEmpty)
    }

    @Test func diagnosticsAreThrownAsOneError() {
        #expect(throws: Diagnostics.self) {
            try MarkdownParser.parse(SourceFile(path: "t.md", text: "```console\nx\n$ true\n```\n"))
        }
    }
}
