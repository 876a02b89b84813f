import Foundation
import Testing
@testable import TranscriptKit

@Suite struct MatchingLineRulesTests {
    // MARK: Literal lines, white space and blank lines

    @Test func literalLinesMatchExactly() throws {
        #expect(try Fixture.passes(["hello", "world"], "hello\nworld\n"))
        #expect(try !Fixture.passes(["hello", "world"], "hello\nWorld\n"))
        #expect(try !Fixture.passes(["hello"], "hello\nworld\n"))
        #expect(try !Fixture.passes(["hello", "world"], "hello\n"))
    }

    @Test func trailingBlanksAreNotSignificantByDefault() throws {
        #expect(try Fixture.passes(["a"], "a  \t\n"))
        #expect(try Fixture.passes(["a \t "], "a\n"))
        #expect(try !Fixture.passes([" a"], "a\n"))
    }

    @Test func blankLinesAtTheEndsAreNotSignificantByDefault() throws {
        #expect(try Fixture.passes(["", "a", "", ""], "a\n"))
        #expect(try Fixture.passes(["a"], "\n\n  \na\n\n"))
        #expect(try Fixture.passes([], "\n\n"))
        #expect(try !Fixture.passes(["a", "b"], "a\n\nb\n"))
    }

    @Test func exactMakesTrailingBlanksAndBlankLinesSignificant() throws {
        let exact = Fixture.options(exact: true)
        #expect(try Fixture.passes(["a "], "a \n", options: exact))
        #expect(try !Fixture.passes(["a"], "a \n", options: exact))
        #expect(try !Fixture.passes(["a "], "a\n", options: exact))
        #expect(try !Fixture.passes(["", "a"], "a\n", options: exact))
        #expect(try Fixture.passes(["", "a", ""], "\na\n\n", options: exact))
        #expect(try !Fixture.passes(["a"], "a\n\n", options: exact))
    }

    // MARK: (no-eol)

    @Test func noEOL() throws {
        #expect(try Fixture.passes(["a", "b (no-eol)"], "a\nb"))
        #expect(try !Fixture.passes(["a", "b (no-eol)"], "a\nb\n"))
        #expect(try !Fixture.passes(["a", "b"], "a\nb"))
        #expect(try Fixture.passes(["a\\tb (esc) (no-eol)"], "a\tb"))
        #expect(try Fixture.passes(["a\\tb (no-eol) (esc)"], "a\tb"))
        #expect(try Fixture.passes(["a*c (glob) (no-eol)"], "abbc"))
        #expect(try Fixture.passes(["[0-9]+ (re) (no-eol)"], "123"))
        #expect(try Fixture.passes(["{{int}} items (no-eol)"], "3 items"))
    }

    @Test func missingNewlineIsShownInTheDiff() throws {
        let result = try Fixture.run(["b"], "b")
        #expect(Fixture.diffSummary(result) == ["- b", "+ b (no-eol)"])
    }

    // MARK: Annotations

    @Test(arguments: [
        ("[0-9]+ items (re)", "42 items", true),
        ("[0-9]+ items (re)", "42 items!", false),
        ("x (re)", "y x", false),
        ("a|b (re)", "b", true),
        ("\\d+\\  (re)", "12", false),
        ("a*c (glob)", "abbbc", true),
        ("a*c (glob)", "ac", true),
        ("a*c (glob)", "abd", false),
        ("a?c (glob)", "abc", true),
        ("a?c (glob)", "abbc", false),
        ("a?c (glob)", "aéc", true),
        ("a\\*c (glob)", "a*c", true),
        ("a\\*c (glob)", "abc", false),
        ("a\\?c (glob)", "a?c", true),
        ("a\\?c (glob)", "abc", false),
        ("a\\\\c (glob)", "a\\c", true),
        ("a.c (glob)", "abc", false),
        ("(x) [y] (glob)", "(x) [y]", true),
        ("{{int}} (glob)", "{{int}}", true),
        ("{{int}} (glob)", "42", false),
        ("{{int}} (re)", "{{int}}", true),
        ("\\x1b[31mred\\x1b[0m (esc)", "\u{1b}[31mred\u{1b}[0m", true),
        ("tab\\there\\r (esc)", "tab\there\r", true),
        ("back\\\\slash (esc)", "back\\slash", true),
        ("{{int}} (esc)", "{{int}}", true),
        ("a (re) (glob)", "a (re)", true),
        ("not an annotation(re)", "not an annotation(re)", true),
    ])
    func annotations(expected: String, actual: String, matches: Bool) throws {
        #expect(try Fixture.passes([expected], actual + "\n") == matches)
    }

    @Test func escComparesBytesOfInvalidUTF8() throws {
        var bindings = Bindings()
        let matcher = try Fixture.matcher(["\\xff\\xfeok (esc)"])
        #expect(matcher.match([0xFF, 0xFE, 0x6F, 0x6B, 0x0A], bindings: &bindings).passed)
        let result = matcher.match([0xFF, 0x6F, 0x6B, 0x0A], bindings: &bindings)
        #expect(!result.passed)
        #expect(Fixture.diffSummary(result) == ["- \\xff\\xfeok (esc)", "+ \\xffok (esc)"])
    }

    @Test func controlCharactersAreShownEscaped() throws {
        let result = try Fixture.run(["red"], "\u{1b}[31mred\u{1b}[0m\n")
        #expect(Fixture.diffSummary(result) == ["- red", "+ \\x1b[31mred\\x1b[0m (esc)"])
    }

    // MARK: Placeholders

    @Test(arguments: [
        ("id {{short-id}}", "id 54bb4e8718e8", true),
        ("id {{short-id}}", "id 54bb4e8718e8a", false),
        ("{{int}} + {{int}} = {{number}}", "1 + -2 = -1.0", true),
        ("a.b {{any}}", "axb anything", false),
        ("a.b {{any}}", "a.b anything", true),
        ("{{/[a-c]+/}}!", "abcab!", true),
        ("{{/[a-c]+/}}!", "abcd!", false),
        ("{{/a/}}b/}}", "ab/}}", true),
        ("{{/x|y/}}z", "yz", true),
        ("{{/x|y/}}z", "xy", false),
        ("\\{{int}}", "{{int}}", true),
        ("\\{{int}}", "42", false),
        ("\\{{ {{int}} }}", "{{ 7 }}", true),
        ("path \\ {{int}}", "path \\ 7", true),
        ("{{X=int}}-{{$X}}", "4-4", true),
        ("{{X=int}}-{{$X}}", "4-5", false),
        ("{{V=/v[0-9]+/}} ok", "v12 ok", true),
        ("(?) {{int}}", "(?) 1", true),
    ])
    func placeholders(expected: String, actual: String, matches: Bool) throws {
        #expect(try Fixture.passes([expected], actual + "\n") == matches)
    }

    @Test func capturesFeedLaterCommandsAndAreExported() throws {
        var bindings = Bindings()
        var known = Set<String>()
        let first = try OutputMatcher(command: Fixture.command(["created {{CONTAINER=short-id}}"]), options: Options(),
                                      library: Fixture.library, file: "doc.md", knownVariables: &known)
        #expect(known == ["CONTAINER"])
        #expect(first.capturedVariables == ["CONTAINER"])
        #expect(first.match(Array("created 3bbffb82a12e\n".utf8), bindings: &bindings).passed)
        #expect(bindings.variables["CONTAINER"] == "3bbffb82a12e")
        let exported = bindings.takeNewlyCaptured()
        #expect(exported.map(\.name) == ["CONTAINER"])
        #expect(exported.map(\.value) == ["3bbffb82a12e"])
        #expect(bindings.takeNewlyCaptured().isEmpty)

        let second = try OutputMatcher(command: Fixture.command(["{{$CONTAINER}}"], firstLine: 20), options: Options(),
                                       library: Fixture.library, file: "doc.md", knownVariables: &known)
        #expect(second.match(Array("3bbffb82a12e\n".utf8), bindings: &bindings).passed)
        #expect(!second.match(Array("9c1d2e3f4a5b\n".utf8), bindings: &bindings).passed)
    }

    @Test func capturedTextIsMatchedLiterally() throws {
        var bindings = Bindings()
        bindings.variables["V"] = "a.b*"
        let matcher = try Fixture.matcher(["[{{$V}}]"], known: ["V"])
        #expect(matcher.match(Array("[a.b*]\n".utf8), bindings: &bindings).passed)
        #expect(!matcher.match(Array("[axbbb]\n".utf8), bindings: &bindings).passed)
    }

    @Test func laterLinesOfOneCommandUseItsCaptures() throws {
        #expect(try Fixture.passes(["{{N=int}} apples", "still {{$N}}"], "3 apples\nstill 3\n"))
        #expect(try !Fixture.passes(["{{N=int}} apples", "still {{$N}}"], "3 apples\nstill 4\n"))
    }

    // MARK: `...`

    @Test(arguments: [
        (["a", "...", "b"], "a\nb\n", true),
        (["a", "...", "b"], "a\nx\ny\nb\n", true),
        (["a", "...", "b"], "a\nx\ny\n", false),
        (["...", "b"], "x\nb\n", true),
        (["...", "b"], "b\n", true),
        (["...", "b"], "b\nx\n", false),
        (["a", "..."], "a\n", true),
        (["a", "..."], "a\nx\ny\n", true),
        (["..."], "", true),
        (["..."], "anything\nat all\n", true),
        (["...", "x", "...", "x", "..."], "x\nx\n", true),
        (["...", "x", "...", "x", "..."], "a\nx\nb\nc\nx\nd\n", true),
        (["...", "x", "...", "x", "..."], "a\nx\nb\n", false),
        (["a", "...", "...", "b"], "a\n1\n2\nb\n", true),
        (["...", "{{int}}", "end"], "x\n1\n2\nend\n", true),
        (["...", "last (no-eol)"], "x\nlast", true),
    ])
    func ellipsis(expected: [String], actual: String, matches: Bool) throws {
        #expect(try Fixture.passes(expected, actual) == matches)
    }

    @Test func ellipsisBacktracksOverCaptures() throws {
        var bindings = Bindings()
        let matcher = try Fixture.matcher(["...", "{{X=int}}", "...", "{{$X}}"])
        #expect(matcher.match(Array("1\n2\n2\n".utf8), bindings: &bindings).passed)
        #expect(bindings.variables["X"] == "2")
    }

    @Test func capturesOfAbandonedPathsAreUndone() throws {
        var bindings = Bindings()
        let matcher = try Fixture.matcher(["...", "{{X=int}}"])
        #expect(matcher.match(Array("1\n2\n".utf8), bindings: &bindings).passed)
        #expect(bindings.variables["X"] == "2")
    }

    @Test func manyEllipsesDoNotGoExponential() throws {
        var expected: [String] = []
        for _ in 0..<30 { expected += ["...", "a"] }
        expected += ["...", "b"]
        let output = String(repeating: "a\n", count: 300)
        let start = Date()
        #expect(try !Fixture.passes(expected, output))
        #expect(Date().timeIntervalSince(start) < 10)
    }

    // MARK: ws

    @Test func wsToleratesRunsOfBlanks() throws {
        let ws = Fixture.options(ws: true)
        #expect(try Fixture.passes(["CONTAINER ID   IMAGE     STATUS"], "CONTAINER ID\tIMAGE STATUS\n", options: ws))
        #expect(try !Fixture.passes(["a b"], "ab\n", options: ws))
        #expect(try Fixture.passes(["{{short-id}}   busybox   {{status}}"], "3bbffb82a12e  busybox      Up 3 seconds\n", options: ws))
        #expect(try Fixture.passes(["a  * (glob)"], "a\t\tanything\n", options: ws))
        #expect(try !Fixture.passes(["a  b"], "a\t\tb\n"))
        #expect(try !Fixture.passes(["a  b (re)"], "a b\n", options: ws))
    }

    // MARK: unordered

    @Test func unorderedFindsAProperAssignment() throws {
        let unordered = Fixture.options(unordered: true)
        // First fit would give "1" to {{int}} and leave the literal "1" without a partner.
        var bindings = Bindings()
        let matcher = try Fixture.matcher(["{{N=int}}", "1"], options: unordered)
        #expect(matcher.match(Array("1\n2\n".utf8), bindings: &bindings).passed)
        #expect(bindings.variables["N"] == "2")
        #expect(try Fixture.passes(["c", "a", "b"], "a\nb\nc\n", options: unordered))
        #expect(try !Fixture.passes(["a", "a"], "a\nb\n", options: unordered))
        #expect(try !Fixture.passes(["a"], "a\na\n", options: unordered))
    }

    @Test func unorderedDiffShowsUnpairedLines() throws {
        let result = try Fixture.run(["a", "b", "c"], "c\nx\na\n", options: Fixture.options(unordered: true))
        #expect(!result.passed)
        #expect(Fixture.diffSummary(result) == ["  a", "- b", "  c", "+ x"])
        #expect(result.firstMismatchLine == 12)
    }

    // MARK: Diff

    @Test func diffShowsPatternsThatMatchedAsWritten() throws {
        let result = try Fixture.run(["{{int}} files", "b", "...", "end", "tail"], "3 files\nx\n1\n2\nend\nTAIL\n")
        #expect(!result.passed)
        // The `...` absorbs "x", but "x" is shown beside "b", whose place it takes.
        #expect(Fixture.diffSummary(result) == ["  {{int}} files", "- b", "+ x", "  ...", "  end", "- tail", "+ TAIL"])
        #expect(result.firstMismatchLine == 12)
        #expect(result.diff.map(\.line) == [11, 12, nil, 13, 14, 15, nil])
    }

    @Test func extraActualLineReportsTheNextExpectedLine() throws {
        let result = try Fixture.run(["a", "b"], "a\nnew\nb\n")
        #expect(Fixture.diffSummary(result) == ["  a", "+ new", "  b"])
        #expect(result.firstMismatchLine == 12)
    }

    @Test func largeOutputsMatchAndDiffQuickly() throws {
        let lines = (0..<20_000).map { "line \($0) of the output" }
        let start = Date()
        #expect(try Fixture.passes(lines, lines.joined(separator: "\n") + "\n"))
        var changed = lines
        changed[10_000] = "something else"
        let result = try Fixture.run(lines, changed.joined(separator: "\n") + "\n")
        #expect(!result.passed)
        #expect(result.diff.filter { $0.kind != .same }.map(\.text) == ["line 10000 of the output", "something else"])
        #expect(result.firstMismatchLine == 11 + 10_000)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func largeOutputsWithPatternsMatchQuickly() throws {
        let expected = (0..<20_000).map { _ in "line {{int}} at {{timestamp}}" }
        let output = (0..<20_000).map { "line \($0) at 2026-11-25T08:44:59Z" }.joined(separator: "\n") + "\n"
        let start = Date()
        #expect(try Fixture.passes(expected, output))
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func diffAlignsAroundEllipsisAndPatterns() {
        let steps = Diff.align(expected: 3, actual: 4, isEllipsis: { $0 == 1 }, equal: { i, j in
            (i == 0 && j == 0) || (i == 2 && j == 3)
        })
        #expect(steps == [.same(0, 0), .ellipsis(1), .same(2, 3)])
    }
}

@Suite struct MatchingUnorderedScaleTests {
    @Test func largeUnorderedBlocksStayFast() throws {
        let unordered = Fixture.options(unordered: true)
        let expected = (0..<5_000).map { "item \($0)" } + (0..<2_000).map { _ in "value {{int}}" }
        let output = ((0..<2_000).map { "value \($0)" } + (0..<5_000).reversed().map { "item \($0)" })
            .joined(separator: "\n") + "\n"
        let start = Date()
        #expect(try Fixture.passes(expected, output, options: unordered))
        #expect(try !Fixture.passes(expected + ["item 1"], output, options: unordered))
        #expect(Date().timeIntervalSince(start) < 20)
    }
}
