import Testing
@testable import TranscriptKit

/// The commands of the only session block of a document made of `lines` inside a ```console fence.
private func commands(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> [Command] {
    markdownTranscript(["```console"] + lines + ["```"], sourceLocation: sourceLocation)?.blocks.first?.commands ?? []
}

@Suite("Markdown: lines inside a session")
struct MarkdownSessionTests {
    @Test func commandsAndOutput() throws {
        let parsed = commands(["$ echo a", "a", "", "$ echo b; echo c", "b", "c"])
        #expect(parsed.map(\.text) == ["echo a", "echo b; echo c"])
        #expect(parsed.map(\.line) == [2, 5])
        #expect(parsed.map(\.column) == [1, 1])
        #expect(parsed.map(\.lastLine) == [2, 5])
        #expect(parsed.first?.expected == [ExpectedLine(text: "a", line: 3, column: 1), ExpectedLine(text: "", line: 4, column: 1)])
        #expect(parsed.map(\.outputLines) == [3..<5, 6..<8])
    }

    @Test(arguments: ["$", "$ ", "$   ", "$\t"])
    func emptyCommand(line: String) {
        let parsed = commands([line, "out"])
        #expect(parsed.map(\.text) == [""])
        #expect(parsed.first?.expected.map(\.text) == ["out"])
    }

    @Test(arguments: ["$x", "$HOME", " $ indented", "$\tx", "% ls"])
    func notCommands(line: String) {
        let parsed = commands(["$ true", line])
        #expect(parsed.count == 1)
        #expect(parsed.first?.expected.map(\.text) == [line])
    }

    @Test func doubleSpaceKeepsTheSecond() {
        #expect(commands(["$  x"]).map(\.text) == [" x"])
    }

    @Test func backslashContinuation() {
        let parsed = commands(["$ echo a \\", "b \\", "> c", "d", "$ echo e\\\\", "f"])
        #expect(parsed.map(\.text) == ["echo a \\\nb \\\nc", "echo e\\\\"])
        #expect(parsed.first?.lastLine == 4)
        #expect(parsed.first?.expected.map(\.text) == ["d"])
        #expect(parsed.first?.outputLines == 5..<6)
        #expect(parsed.last?.expected.map(\.text) == ["f"])
    }

    @Test func backslashContinuationTakesADollarLineAsIs() {
        #expect(commands(["$ a \\", "$ b"]).map(\.text) == ["a \\\n$ b"])
    }

    @Test func promptContinuation() {
        let parsed = commands(["$ cat <<EOF", "> one", "> ", ">  two", "> EOF", "one", "", " two", "$ echo", ">x"])
        #expect(parsed.map(\.text) == ["cat <<EOF\none\n\n two\nEOF", "echo"])
        #expect(parsed.first?.lastLine == 6)
        #expect(parsed.first?.expected.map(\.text) == ["one", "", " two"])
        #expect(parsed.last?.expected.map(\.text) == [">x"])
    }

    @Test func aLineThatIsJustAGreaterThanSignIsOutput() {
        let parsed = commands(["$ printf '>\\n> \\n'", ">", "> "])
        #expect(parsed.map(\.text) == ["printf '>\\n> \\n'"])
        #expect(parsed.first?.expected.map(\.text) == [">", "> "])
    }

    @Test func promptLinesOnlyDirectlyAfterTheCommand() {
        let parsed = commands(["$ echo", "", "> quoted"])
        #expect(parsed.first?.text == "echo")
        #expect(parsed.first?.expected.map(\.text) == ["", "> quoted"])
    }

    @Test(arguments: [("[1]", 1), ("[255]", 255), ("[42]  ", 42), ("[7]\t", 7)])
    func exitStatus(line: String, status: Int32) {
        let parsed = commands(["$ false", "out", line, "$ true"])
        #expect(parsed.first?.exitStatus == ExitStatusLine(status: status, line: 4))
        #expect(parsed.first?.expected.map(\.text) == ["out"])
        #expect(parsed.first?.outputLines == 3..<5)
    }

    @Test(arguments: ["[0]", "[256]", "[01]", "[+1]", "[-1]", "[ 1]", "[1 ]", " [1]", "[]", "[1000]", "[x]", "(1)"])
    func literalBracketLines(line: String) {
        let parsed = commands(["$ false", line])
        #expect(parsed.first?.exitStatus == nil)
        #expect(parsed.first?.expected.map(\.text) == [line])
    }

    @Test func exitStatusOnlyAsLastLine() {
        let parsed = commands(["$ false", "[1]", "more"])
        #expect(parsed.first?.exitStatus == nil)
        #expect(parsed.first?.expected.map(\.text) == ["[1]", "more"])
    }

    @Test func exitStatusBeforeSeparatingBlankLines() {
        let parsed = commands(["$ false", "[3]", "", "$ true"])
        #expect(parsed.first?.exitStatus == ExitStatusLine(status: 3, line: 3))
        #expect(parsed.first?.expected.map(\.text) == [""])
    }

    @Test func exitStatusAlone() {
        let parsed = commands(["$ exit 2", "[2]"])
        #expect(parsed.first?.exitStatus?.status == 2)
        #expect(parsed.first?.expected.isEmpty == true)
    }

    @Test func blankLinesBeforeFirstCommandAreFine() {
        let parsed = commands(["", "  ", "$ true"])
        #expect(parsed.map(\.line) == [4])
    }

    @Test func emptyBlockHasNoCommands() {
        let transcript = markdownTranscript(["```console", "```"])
        #expect(transcript?.blocks.count == 1)
        #expect(transcript?.blocks.first?.commands.isEmpty == true)
        #expect(transcript?.blocks.first?.lines.isEmpty == true)
    }

    @Test func lastCommandOutputRunsToTheClosingFence() {
        let parsed = commands(["$ a", "$ b", "x", ""])
        #expect(parsed.map(\.outputLines) == [3..<3, 4..<6])
    }

    @Test func hiddenSession() throws {
        let transcript = markdownTranscript([
            "# Setup",
            "<!-- transcript   ",
            "$ mkdir x",
            "$ cd x",
            "-->",
            "",
            "> <!-- transcript",
            "> $ ls",
            ">   -->",
            "",
            "- item",
            "",
            "  <!-- transcript",
            "  $ pwd",
            "  /x",
            "  -->",
        ])
        #expect(transcript?.blocks.map(\.isHidden) == [true, true, true])
        #expect(transcript?.blocks.map(\.delimiters) == Array(repeating: SessionBlock.Delimiters(opening: "<!-- transcript", closing: "-->"), count: 3))
        #expect(transcript?.blocks.map(\.openingLine) == [2, 7, 13])
        #expect(transcript?.blocks.map(\.closingLine) == [5, 9, 16])
        #expect(transcript?.blocks.first?.heading == "Setup")
        #expect(transcript?.blocks.first?.isHidden == true)
        #expect(transcript?.blocks.first?.commands.map(\.text) == ["mkdir x", "cd x"])
        #expect(markdownBlockLines(transcript)[1] == [SessionLineText("> ", "$ ls")])
        #expect(markdownBlockLines(transcript)[2] == [SessionLineText("  ", "$ pwd"), SessionLineText("  ", "/x")])
        #expect(transcript?.blocks.last?.commands.first?.expected == [ExpectedLine(text: "/x", line: 15, column: 3)])
    }

    @Test func hiddenSessionIndentationIsStripped() {
        let transcript = markdownTranscript(["  <!-- transcript", "  $ true", "   x", "  -->"])
        #expect(markdownBlockLines(transcript) == [[SessionLineText("  ", "$ true"), SessionLineText("  ", " x")]])
    }

    @Test func ordinaryCommentsAreNotHiddenSessions() {
        let transcript = markdownTranscript([
            "<!-- transcripts", "$ a", "-->", "<!--transcript", "$ b", "-->", "<!-- transcript -->", "$ c", "",
            "<!-- transcript of the talk -->",
        ])
        #expect(transcript?.blocks.isEmpty == true)
    }

    @Test func fencesInsideHiddenSessionAreLines() {
        let transcript = markdownTranscript(["<!-- transcript", "$ cat x.md", "```console", "-->"])
        #expect(transcript?.blocks.first?.commands.first?.expected.map(\.text) == ["```console"])
    }

    @Test func largeBlockParsesQuickly() throws {
        var lines = ["```console"]
        for index in 0..<10_000 {
            lines.append("$ echo \(index)")
            lines.append("\(index)")
        }
        lines.append("```")
        let clock = ContinuousClock()
        var transcript: Transcript?
        let elapsed = clock.measure { transcript = markdownTranscript(lines) }
        #expect(transcript?.blocks.first?.commands.count == 10_000)
        #expect(transcript?.blocks.first?.commands.last?.expected.map(\.text) == ["9999"])
        #expect(elapsed < .seconds(2), "parsing 20 000 lines took \(elapsed)")
    }

    @Test func largeOutputParsesQuickly() throws {
        let lines = ["> ```console", "> $ seq 20000"] + (1...20_000).map { "> \($0)" } + ["> ```"]
        let clock = ContinuousClock()
        var transcript: Transcript?
        let elapsed = clock.measure { transcript = markdownTranscript(lines) }
        #expect(transcript?.blocks.first?.commands.first?.expected.count == 20_000)
        #expect(elapsed < .seconds(2), "parsing 20 000 lines took \(elapsed)")
    }
}

@Suite struct MarkdownInfoStringTests {
    @Test(arguments: ["con&#115;ole", "shell\\-session", "sh&#x2D;session", "console&#32;x", "sh&hyphen;session"])
    func infoStringsAreDecodedAsCommonMarkDoes(info: String) {
        #expect(markdownTranscript(["```" + info, "$ true", "```"])?.blocks.count == 1)
    }

    @Test(arguments: ["con&bogus;sole", "console\\", "Console", "con\\sole"])
    func otherInfoStringsAreNotSessions(info: String) {
        #expect(markdownTranscript(["```" + info, "$ true", "```"])?.blocks.count ?? 0 == 0)
    }
}

@Suite struct SourceFileLineEndingTests {
    @Test func everyCommonMarkLineEndingIsKept() {
        let text = "a\nb\r\nc\rd\r\r\ne"
        let file = SourceFile(path: "t.md", text: text)
        #expect(file.lines == ["a", "b", "c", "d", "", "e"])
        #expect(file.endings == ["\n", "\r\n", "\r", "\r", "\r\n", ""])
        #expect(file.text == text)
    }

    @Test func aFileWithCarriageReturnsAloneHasItsSessions() {
        #expect(markdownTranscript(["```console\r$ echo hi\rhi\r```"])?.blocks.first?.commands.first?.expected.map(\.text) == ["hi"])
    }
}
