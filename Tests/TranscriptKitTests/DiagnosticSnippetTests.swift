import Testing
@testable import TranscriptKit

@Suite struct DiagnosticSnippetTests {
    @Test func theCaretStandsUnderTheColumn() {
        let diagnostic = Diagnostic(file: "a.md", line: 2, column: 5, message: "bad", help: "fix it")
        let text = DiagnosticSnippet.render(diagnostic, lines: ["first", "one {{x"])
        #expect(text == "a.md:2:5: error: bad\n  2 | one {{x\n    |     ^\n  help: fix it")
    }

    @Test func tabsBeforeTheColumnStayTabs() {
        let diagnostic = Diagnostic(file: "a.md", line: 1, column: 3, message: "bad")
        let text = DiagnosticSnippet.render(diagnostic, lines: ["\t\tx"])
        #expect(text.hasSuffix("  1 | \t\tx\n    | \t\t^"))
    }

    @Test func aLongLineIsCutAroundTheColumn() {
        let line = String(repeating: "a", count: 300) + "X" + String(repeating: "b", count: 300)
        let diagnostic = Diagnostic(file: "a.md", line: 1, column: 301, message: "bad")
        let rows = DiagnosticSnippet.render(diagnostic, lines: [line]).split(separator: "\n")
        #expect(rows[1].hasPrefix("  1 | ...a") && rows[1].hasSuffix("b..."))
        #expect(rows[1].count < 120)
        let caret = rows[2].firstIndex(of: "^").map { rows[2].distance(from: rows[2].startIndex, to: $0) }
        let mark = rows[1].firstIndex(of: "X").map { rows[1].distance(from: rows[1].startIndex, to: $0) }
        #expect(caret != nil && caret == mark)
    }

    @Test func aWholeFileProblemOrAMissingLineHasNoPicture() {
        let whole = Diagnostic(file: "a.md", line: 0, column: 0, message: "bad")
        #expect(DiagnosticSnippet.render(whole, lines: ["x"]) == whole.description)
        let beyond = Diagnostic(file: "a.md", line: 9, column: 1, message: "bad")
        #expect(DiagnosticSnippet.render(beyond, lines: ["x"]) == beyond.description)
        #expect(DiagnosticSnippet.render(beyond, lines: nil) == beyond.description)
    }
}
