import Testing
@testable import TranscriptKit

@Suite("Markdown: option comments")
struct MarkdownOptionCommentTests {
    @Test func blockOptions() throws {
        let transcript = markdownTranscript([
            "<!-- transcript: exact timeout=30s -->",
            "```console",
            "$ true",
            "```",
            "",
            "```console",
            "$ true",
            "```",
        ])
        let first = try #require(transcript?.blocks.first)
        #expect(first.options.exact == true)
        #expect(first.options.timeout == .seconds(30))
        #expect(first.optionsLine == 1)
        #expect(transcript?.blocks.last?.options == Options())
        #expect(transcript?.blocks.last?.optionsLine == nil)
    }

    @Test func blankLinesMayStandBetween() {
        let transcript = markdownTranscript(["<!-- transcript: skip=\"later\" -->", "", "  ", "```console", "$ true", "```"])
        #expect(transcript?.blocks.first?.options.skip == SkipReason("later"))
    }

    @Test func multiLineComment() throws {
        let transcript = markdownTranscript([
            "<!-- transcript:",
            "  ws",
            "  requires=linux,cmd:git",
            "-->",
            "<!-- transcript",
            "$ true",
            "-->",
        ])
        let block = try #require(transcript?.blocks.first)
        #expect(block.isHidden)
        #expect(block.options.ws == true)
        #expect(block.options.requires == [.linux, .command("git")])
        #expect(block.optionsLine == 1)
    }

    @Test func optionCommentInContainers() throws {
        let transcript = markdownTranscript([
            "> <!-- transcript: ignore-exit -->",
            ">",
            "> ```console",
            "> $ false",
            "> ```",
            "1. <!-- transcript: unordered",
            "   -->",
            "   ```console",
            "   $ true",
            "   ```",
        ])
        #expect(transcript?.blocks.map(\.options.ignoreExit) == [true, nil])
        #expect(transcript?.blocks.map(\.options.unordered) == [nil, true])
    }

    @Test func spacingInsideTheComment() {
        let transcript = markdownTranscript(["<!--transcript:exact-->", "```console", "$ true", "```"])
        #expect(transcript?.blocks.first?.options.exact == true)
    }

    @Test func fileOptions() throws {
        let transcript = try #require(markdownTranscript([
            "# Title",
            "",
            "<!-- transcript-file: examples=docker ws -->",
            "",
            "Text.",
            "",
            "<!-- transcript: exact -->",
            "```console",
            "$ true",
            "```",
        ]))
        #expect(transcript.fileOptions.ws == true)
        #expect(transcript.fileOptions.examples == Options.dockerExampleKinds)
        #expect(transcript.fileOptionsLine == 3)
        #expect(transcript.blocks.first?.options.exact == true)
        #expect(transcript.blocks.first?.options.ws == nil)
    }

    @Test func optionCommentsInSkippedBlocksAreIgnored() {
        let transcript = markdownTranscript(["```markdown", "<!-- transcript: bogus -->", "```", "    <!-- transcript: bogus -->"])
        #expect(transcript?.blocks.isEmpty == true)
    }

    @Test func textBetweenCommentAndBlock() {
        let diagnostics = markdownDiagnostics(["Intro.", "", "  <!-- transcript: exact -->", "Some text.", "```console", "$ true", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:3:3"])
        #expect(diagnostics.first?.message == "the option comment must directly precede a session block")
        #expect(diagnostics.first?.notes.contains("note: line 4 comes between it and the next session block") == true)
    }

    @Test func nonSessionBlockAfterComment() {
        let diagnostics = markdownDiagnostics(["<!-- transcript: exact -->", "```bash", "true", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:1:1"])
        #expect(diagnostics.first?.notes.contains("note: the code block at line 2 is not a session block") == true)
    }

    @Test func commentAtEndOfFile() {
        let diagnostics = markdownDiagnostics(["```console", "$ true", "```", "<!-- transcript: exact -->", ""])
        #expect(diagnostics.map(\.location) == ["t.md:4:1"])
        #expect(diagnostics.first?.message == "no session block follows this option comment")
    }

    @Test func twoCommentsForOneBlock() {
        let diagnostics = markdownDiagnostics(["<!-- transcript: exact -->", "", "<!-- transcript: ws -->", "```console", "$ true", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:3:1"])
        #expect(diagnostics.first?.message == "a second option comment for the same session block")
    }

    @Test func fileCommentAfterFirstBlock() {
        let diagnostics = markdownDiagnostics(["```console", "$ true", "```", "<!-- transcript-file: ws -->"])
        #expect(diagnostics.map(\.location) == ["t.md:4:1"])
        #expect(diagnostics.first?.message.contains("after the first session block") == true)
    }

    @Test func fileCommentTwice() {
        let diagnostics = markdownDiagnostics(["<!-- transcript-file: ws -->", "<!-- transcript-file: exact -->"])
        #expect(diagnostics.map(\.location) == ["t.md:2:1"])
    }

    @Test func fileCommentBetweenBlockCommentAndBlock() {
        let diagnostics = markdownDiagnostics(["<!-- transcript: exact -->", "<!-- transcript-file: ws -->", "```console", "$ true", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:1:1"])
    }

    @Test func optionErrorsPointAtTheWord() {
        let diagnostics = markdownDiagnostics([
            "<!-- transcript: exact tiemout=5s -->",
            "```console",
            "$ true",
            "```",
            "> <!-- transcript:",
            ">    ws timeout=soon",
            "> -->",
            "> ```console",
            "> $ true",
            "> ```",
        ])
        #expect(diagnostics.map(\.location) == ["t.md:1:24", "t.md:6:9"])
        #expect(diagnostics.first?.message == "unknown option 'tiemout'")
        #expect(diagnostics.first?.notes == ["help: did you mean 'timeout'?"])
    }

    @Test func unclosedOptionComment() {
        let diagnostics = markdownDiagnostics(["<!-- transcript: exact", "", "```console", "$ true", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:1:1"])
        #expect(diagnostics.first?.message == "the option comment is not closed")
    }

    @Test func commandInOptionComment() {
        let diagnostics = markdownDiagnostics(["<!-- transcript:", "$ echo hi", "-->"])
        #expect(diagnostics.map(\.location) == ["t.md:1:1", "t.md:2:1"])
        #expect(diagnostics.last?.message == "a command inside an option comment")
    }

    @Test func missingColon() {
        let diagnostics = markdownDiagnostics(["<!-- transcript skip -->", "```console", "$ true", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:1:1"])
        #expect(diagnostics.first?.notes == ["help: write it as `<!-- transcript: skip -->`"])
    }

    @Test(arguments: [
        ("<!-- transcripts: exact -->", "<!-- transcript:"),
        ("<!-- Transcript: ws -->", "<!-- transcript:"),
        ("<!-- transcript : skip -->", "<!-- transcript:"),
        ("<!-- transcrpt: timeout=2s -->", "<!-- transcript:"),
        ("<!-- transcript-files: exact -->", "<!-- transcript-file:"),
        ("<!-- transcript_file: ws -->", "<!-- transcript-file:"),
    ])
    func misspelledOpening(comment: String, opening: String) {
        let diagnostics = markdownDiagnostics([comment, "```console", "$ true", "```"])
        #expect(diagnostics.map(\.location) == ["t.md:1:1"])
        #expect(diagnostics.first?.notes == ["help: write it as `\(opening) ... -->`"])
    }

    @Test(arguments: [
        "<!-- Transcript: recorded on a laptop -->",
        "<!-- transcript of a session: exact output below -->",
        "<!-- TODO: skip this -->",
        "<!-- transcription: exact -->",
    ])
    func ordinaryCommentsStayOrdinary(comment: String) {
        #expect(markdownDiagnostics([comment, "```console", "$ true", "```"]).isEmpty)
    }
}
