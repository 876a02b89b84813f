import Testing
@testable import TranscriptKit

@Suite struct MatchingDiagnosticsTests {
    private func only(_ diagnostics: [Diagnostic]) throws -> Diagnostic {
        #expect(diagnostics.count == 1, "\(diagnostics)")
        return try #require(diagnostics.first)
    }

    @Test func inlineRegexErrorPointsAtThePatternCharacter() throws {
        // Content starts at column 3; the regex "a(b" starts after "id: {{/" (7 characters) and
        // PCRE2 stops after its 3rd character.
        let d = try only(Fixture.diagnostics(["id: {{/a(b/}}"], column: 3))
        #expect(d.description.hasPrefix("doc.md:11:13: error: pattern does not compile: missing closing parenthesis"))
    }

    @Test func regexLineErrorPointsAtThePatternCharacter() throws {
        let d = try only(Fixture.diagnostics(["ok", "x[a- (re)"]))
        #expect(d.line == 12)
        #expect(d.column == 5)
        #expect(d.message.hasPrefix("pattern does not compile: missing terminating ]"))
    }

    @Test func captureRegexErrorColumn() throws {
        let d = try only(Fixture.diagnostics(["é {{X=/+/}}"], column: 5))
        // "é {{X=/" is 7 characters; PCRE2 complains at offset 0 of "+".
        #expect(d.column == 5 + 7)
        #expect(d.message.contains("quantifier does not follow a repeatable item"))
    }

    @Test func unknownPatternNameSuggestsTheClosest() throws {
        let d = try only(Fixture.diagnostics(["id {{shortid}}"]))
        #expect(d.location == "doc.md:11:6")
        #expect(d.message == "unknown pattern 'shortid'")
        #expect(d.notes.first?.contains("'short-id'") == true)
        let capture = try only(Fixture.diagnostics(["{{X=sise}}"]))
        #expect(capture.column == 5)
        #expect(capture.notes.first?.contains("'size'") == true)
    }

    @Test func variableNeverCapturedIsAnError() throws {
        let d = try only(Fixture.diagnostics(["rm {{$CONTAINER}}"]))
        #expect(d.location == "doc.md:11:6")
        #expect(d.message.contains("CONTAINER"))
        #expect(Fixture.diagnostics(["rm {{$CONTAINER}}"], known: ["CONTAINER"]).isEmpty)
        // Captured by a later line of the same command: still an error.
        #expect(Fixture.diagnostics(["{{$X}}", "{{X=int}}"]).count == 1)
        #expect(Fixture.diagnostics(["{{X=int}}", "{{$X}}"]).isEmpty)
    }

    @Test func ellipsisInUnorderedBlockIsAnError() throws {
        let d = try only(Fixture.diagnostics(["a", "...", "b"], options: Fixture.options(unordered: true), column: 4))
        #expect(d.location == "doc.md:12:4")
    }

    @Test func unorderedMayNotUseItsOwnCaptures() throws {
        let unordered = Fixture.options(unordered: true)
        #expect(try only(Fixture.diagnostics(["{{X=int}}", "{{$X}}"], options: unordered)).column == 3)
        #expect(Fixture.diagnostics(["{{$X}}"], options: unordered, known: ["X"], capturedEarlierInBlock: ["X"]).count == 1)
        #expect(Fixture.diagnostics(["{{$X}}"], options: unordered, known: ["X"]).isEmpty)
    }

    @Test(arguments: [
        ("a {{int", 3, "unclosed placeholder"),
        ("a {{/x", 3, "unclosed inline pattern"),
        ("{{x y}}", 1, "malformed placeholder"),
        ("{{lower=int}}", 3, "'lower' is not a variable name"),
        ("{{$lower}}", 4, "'lower' is not a variable name"),
        ("bad \\q (esc)", 5, "unknown escape in an (esc) line"),
        ("bad \\x4 (esc)", 5, "\\x in an (esc) line needs two hex digits"),
    ])
    func malformedLines(line: String, column: Int, message: String) throws {
        let d = try only(Fixture.diagnostics([line]))
        #expect(d.column == column)
        #expect(d.message == message)
    }

    @Test func everyBadLineIsReported() {
        #expect(Fixture.diagnostics(["{{nope}}", "fine", "{{/(/}}"]).map(\.line) == [11, 13])
    }

    @Test func knownVariablesGainThisCommandsCaptures() throws {
        var known: Set<String> = ["A"]
        _ = try OutputMatcher(command: Fixture.command(["{{B=int}} {{C=/x/}}"]), options: Options(), library: Fixture.library,
                              file: "doc.md", knownVariables: &known)
        #expect(known == ["A", "B", "C"])
    }

    @Test func theFirstMistakeOnALineIsTheOneReported() throws {
        // An unknown name before a malformed placeholder, and the reverse.
        let unknownFirst = try only(Fixture.diagnostics(["{{nope}} {{=x}}"]))
        #expect(unknownFirst.message == "unknown pattern 'nope'" && unknownFirst.column == 3)
        let malformedFirst = try only(Fixture.diagnostics(["{{=x}} {{nope}}"]))
        #expect(malformedFirst.message == "malformed placeholder" && malformedFirst.column == 1)
    }

    @Test func placeholdersKeepTheirSourceText() throws {
        let pieces = try #require(PlaceholderScanner.pieces(of: #"a \{{ {{ID=short-id}} {{/x}y/}} {{$ID}}."#))
        #expect(pieces == [
            .literal("a {{ ", offset: 0),
            .placeholder(source: "{{ID=short-id}}", offset: 6, .capture(variable: "ID", variableOffset: 8, pattern: .named("short-id", nameOffset: 11))),
            .literal(" ", offset: 21),
            .placeholder(source: "{{/x}y/}}", offset: 22, .inline("x}y", regexOffset: 25)),
            .literal(" ", offset: 31),
            .placeholder(source: "{{$ID}}", offset: 32, .reference("ID", variableOffset: 35)),
            .literal(".", offset: 39),
        ])
        #expect(PlaceholderScanner.pieces(of: "{{ID=") == nil)
    }
}
