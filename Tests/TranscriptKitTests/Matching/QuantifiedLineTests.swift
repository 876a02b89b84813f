import Testing
@testable import TranscriptKit

/// Markdown's quantified annotations (`(re+)`, `(equal?)`, ...), `(any-eol)` and `crlf=lf`.
@Suite("Matching: quantified lines, either ending, CR LF")
struct QuantifiedLineTests {
    static var exact: Options {
        var options = Options()
        options.exact = true
        return options
    }

    @Test(arguments: [
        (["a\\d (re+)", "b"], "a1\na2\nb\n", true),
        (["a\\d (re+)", "b"], "b\n", false),               // `+` needs a line
        (["a\\d (re*)", "b"], "b\n", true),
        (["x (equal?)", "y"], "x\ny\n", true),
        (["x (equal?)", "y"], "x\nx\ny\n", false),         // `?` takes one line at most
        (["x (equal*)", "x"], "x\nx\nx\n", true),          // gives a line back to the line after it
        (["x (equal+)", "x (equal+)"], "x\n", false),
        (["* (glob*)"], "", true),
        (["a\\tb (esc+)"], "a\tb\na\tb\n", true),
        (["... (equal*)"], "...\n...\n", true),            // `(equal*)`: the text, quantified
        (["one", "two (re?)", "three"], "one\nthree\n", true),
    ])
    func quantifiers(expected: [String], output: String, passes: Bool) throws {
        #expect(try Fixture.passes(expected, output, options: Self.exact) == passes, "\(expected) against \(output.debugDescription)")
    }

    @Test func aCaptureAfterAQuantifiedLineTakesTheLineLeft() throws {
        var bindings = Bindings()
        let matcher = try Fixture.matcher(["v\\d (re*)", "{{LAST=/.*/}}"], options: Self.exact)
        #expect(matcher.match(Array("v1\nv2\nend\n".utf8), bindings: &bindings).passed)
        #expect(bindings.variables["LAST"] == "end")
    }

    @Test(arguments: [
        ("ab (any-eol)", "ab", true),
        ("ab (any-eol)", "ab\n", true),
        ("a. (re) (any-eol)", "ab", true),
        ("a? (glob) (any-eol)", "ab\n", true),
        ("ab", "ab", false),
        ("ab (any-eol) (equal)", "ab (any-eol)\n", true),
    ])
    func eitherEnding(expected: String, output: String, passes: Bool) throws {
        #expect(try Fixture.passes([expected], output, options: Self.exact) == passes, "\(expected) against \(output.debugDescription)")
    }

    @Test func crlfAsLFReadsEachCRLFAsLF() throws {
        var options = Self.exact
        #expect(try !Fixture.passes(["a", "b"], "a\r\nb\r\n", options: options))
        options.crlfAsLF = true
        #expect(try Fixture.passes(["a", "b"], "a\r\nb\r\n", options: options))
        #expect(try !Fixture.passes(["a"], "a\r\r\n", options: options))
    }

    @Test func anUnorderedBlockRefusesQuantifiers() {
        var options = Self.exact
        options.unordered = true
        let problems = Fixture.diagnostics(["a (re+)"], options: options)
        #expect(problems.map(\.message) == ["a quantified line cannot be used in an unordered block"])
    }

    @Test func theOptionsParseAndWriteBack() throws {
        let options = try Options.parse("stream=stderr crlf=lf", file: "f.md", line: 1, column: 1)
        #expect(options.scrutCase?.stream == .stderr)
        #expect(options.crlfAsLF == true)
        #expect(options.summary == "stream=stderr crlf=lf")
        #expect(throws: Diagnostic.self) { _ = try Options.parse("crlf=cr", file: "f.md", line: 1, column: 1) }
    }
}
