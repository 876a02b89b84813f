import Foundation
import Testing
@testable import TranscriptKit

@Suite struct DiffRenderingTests {
    static func failed(line: Int, text: String, diff: [DiffLine] = [], exit: Int32 = 0, expectedExit: Int32? = nil,
                       output: String = "", timedOut: Bool = false, ranText: String? = nil, messages: [String] = []) -> CommandOutcome {
        let result = CommandResult(output: Array(output.utf8), cutBytes: 0, exitStatus: exit, timedOut: timedOut, shellEnded: false, duration: .zero)
        return CommandOutcome(index: 0, line: line, text: text, ranText: ranText, status: .failed, result: result,
                              match: MatchResult(passed: diff.isEmpty, diff: diff), expectedExit: expectedExit,
                              exitMismatch: expectedExit.map { $0 != exit } ?? false, messages: messages)
    }

    static let block = BlockOutcome(index: 0, line: 3, heading: nil, status: .failed, commands: [
        failed(line: 4, text: "echo one\necho two", diff: [DiffLine(kind: .same, text: "one"), DiffLine(kind: .expected, text: "2"),
                                                             DiffLine(kind: .actual, text: "two")]),
        failed(line: 7, text: "false", exit: 1, expectedExit: 0, ranText: "false # as run"),
        failed(line: 8, text: "sleep 9", output: "started\n", timedOut: true, messages: ["timed out after 1s"]),
        CommandOutcome(index: 3, line: 9, text: "true", status: .notRun),
        CommandOutcome(index: 4, line: 10, text: "true", status: .notRun),
    ])

    @Test func aBlockIsItsFailingCommandsThenWhatDidNotRun() {
        let lines = DiffRendering().lines(Self.block, path: "doc.md")
        #expect(lines.commands == [
            ["doc.md:4: $ echo one ...", " one", "-2", "+two"],
            ["doc.md:7: $ false", "ran as: $ false # as run", "exit status: expected 0, got 1"],
            ["doc.md:8: $ sleep 9", " started", "timed out after 1s"],
        ])
        #expect(lines.notRun == "doc.md:9: 2 commands from here not run")
    }

    @Test func machineReportsGetPlainUnindentedText() {
        #expect(DiffRendering().plainText(Self.block, path: "doc.md") == """
            doc.md:4: $ echo one ...
             one
            -2
            +two

            doc.md:7: $ false
            ran as: $ false # as run
            exit status: expected 0, got 1

            doc.md:8: $ sleep 9
             started
            timed out after 1s
            doc.md:9: 2 commands from here not run
            """)
    }

    @Test func theTerminalGetsItIndentedAfterABlankLine() {
        let text = DiffRendering().indentedText(Self.block, path: "doc.md")
        #expect(text.hasPrefix("\n  doc.md:4: $ echo one ...\n   one\n  -2\n  +two\n\n  doc.md:7:"))
        #expect(text.hasSuffix("  timed out after 1s\n  doc.md:9: 2 commands from here not run\n"))
    }

    @Test func longRunsOfMatchingLinesAreShortenedToTheirEnds() {
        let same = (1...20).map { DiffLine(kind: .same, text: "\($0)") }
        let diff = Array(same[0..<9]) + [DiffLine(kind: .expected, text: "x"), DiffLine(kind: .actual, text: "y")] + Array(same[9...])
        #expect(DiffRendering().diffLines(diff) == [
            "@@ 6 matching lines @@", " 7", " 8", " 9", "-x", "+y", " 10", " 11", " 12", "@@ 8 matching lines @@",
        ])
        // A run only one line longer than what it keeps is shown whole.
        let short = Array(same[0..<4]) + [DiffLine(kind: .actual, text: "y")]
        #expect(DiffRendering().diffLines(short) == [" 1", " 2", " 3", " 4", "+y"])
    }

    @Test func colourComesFromTheStyle() {
        let lines = DiffRendering(style: Style(color: true)).diffLines([DiffLine(kind: .expected, text: "a"), DiffLine(kind: .actual, text: "b")])
        #expect(lines == ["\u{1B}[31m-a\u{1B}[0m", "\u{1B}[32m+b\u{1B}[0m"])
    }

    @Test func thePrettyReportShowsTheSameLinesIndented() {
        let outcome = FileOutcome(path: "doc.md", status: .failed, blocks: [Self.block])
        let pretty = PrettyReporter(style: Style(color: false), verbose: false, jobs: 1).render(outcome)
        #expect(pretty == "FAIL doc.md (0.00s)\n" + DiffRendering().indentedText(Self.block, path: "doc.md"))
    }
}
