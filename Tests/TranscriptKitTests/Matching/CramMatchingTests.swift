import Testing
@testable import TranscriptKit

/// cram's comparison: each expected line against cram's display of one output line.
@Suite("Matching: cram's line rules")
struct CramMatchingTests {
    static func matches(_ expected: String, _ output: String) throws -> Bool {
        let pattern = try CramLinePattern(ExpectedLine(text: expected, line: 1, column: 3), indent: 2, file: "t.t")
        let lines = CramDisplay.lines(of: Array(output.utf8))
        return lines.count == 1 && pattern.matches(lines[0])
    }

    @Test(arguments: [
        ("+++ (re)", "+++\n", false),                // invalid regex: literal only, and the text differs
        ("+++ (re)", "+++ (re)\n", true),            // literal first
        ("foo|x (re)", "foobar\n", true),            // only the last alternative is anchored at the end
        ("x|bar (re)", "bar\n", false),              // the first alternative carries the indent
        ("fo+ (re)", "foo\n", true),
        ("fo+ (re)", "fooo!\n", false),
        ("\\d{,2} (re)", "12\n", true),              // Python's {,n}
        ("a\\Z (re)", "a\n", true),                  // Python's \Z
        ("[[:x]] (re)", "a]\n", false),              // no POSIX class in Python: `[[:x]` then `]`
        ("[[:x]] (re)", ":]\n", true),
        ("(?<n>a) (re)", "(?<n>a) (re)\n", true),    // Python has no (?<name>: literal only
        ("(?<n>a) (re)", "a\n", false),
        ("a?c (glob)", "abc\n", true),
        ("a\\*c (glob)", "a*c\n", true),
        ("a\\*c (glob)", "abc\n", false),
        ("{{x}} (glob)", "{{x}}\n", true),
        ("tab\\there (esc)", "tab\there\n", true),
        ("\\101\\x42 (esc)", "AB\n", true),          // octal and hex escapes
        ("café", "café\n", true),                    // raw UTF-8 meets the escaped display
        ("caf\\xc3\\xa9 (esc)", "café\n", true),
        ("x (no-eol)", "x", true),
        ("a\\r (no-eol) (esc)", "a\r", true),        // a bare CR ends a line without a newline
        ("...", "anything\n", false),
    ])
    func line(expected: String, output: String, matches: Bool) throws {
        #expect(try Self.matches(expected, output) == matches, "\(expected) against \(output.debugDescription)")
    }

    @Test func displayEscapesAsCramDoes() {
        let lines = CramDisplay.lines(of: Array("a\tb\nc\\d\u{1}\nplain\r\nlast".utf8))
        #expect(lines.map { String(decoding: $0.display, as: UTF8.self) }
            == ["a\\tb (esc)", "c\\\\d\\x01 (esc)", "plain\\r (esc)", "last (no-eol)"])
    }

    @Test func aLocaleFlagIsALocatedError() {
        #expect(throws: Diagnostic.self) {
            _ = try CramLinePattern(ExpectedLine(text: "(?L)x (re)", line: 4, column: 3), indent: 2, file: "t.t")
        }
    }

    @Test(arguments: [("\\Z", "\\z"), ("\\v", "\\x0b"), ("a{,3}", "a{0,3}"), ("[[]", "[\\[]"), ("(?a)x", "(?)x")])
    func translation(python: String, pcre2: String) {
        #expect(PythonRegex.translate(Array(python.utf8)) == .pcre2(pcre2))
    }

    @Test(arguments: ["\\e", "\\K", "(*ACCEPT)", "(?|a)", "(?R)", "  (?i)x", "(?u)x"])
    func pythonRejects(pattern: String) {
        #expect(PythonRegex.translate(Array(pattern.utf8)) == .invalid)
    }
}

/// scrut's expectations: kinds, combinations and quantifiers over the output's lines.
@Suite("Matching: scrut's expectations")
struct ScrutMatchingTests {
    static func passes(_ expected: [String], _ output: String) throws -> Bool {
        let cache = RegexCache()
        let lines = try expected.enumerated().map { index, text in
            try ScrutLinePattern(ExpectedLine(text: text, line: index + 2, column: 1), file: "s.md", cache: cache)
        }
        return OutputMatcher.matchScrut(lines, Array(output.utf8), keepCRLF: false, bounds: nil).passed
    }

    @Test(arguments: [
        (["a", "b (+)", "c"], "a\nb\nb\nc\n", true),
        (["a", "b (+)", "c"], "a\nc\n", false),
        (["a", "x (?)", "c"], "a\nc\n", true),
        (["x\\d (regex*)"], "", true),
        (["x\\d (re*)", "end (eq)"], "x1\nx2\nend\n", true),
        (["foo (regex)"], "foo", true),                     // a regex line needs no newline
        (["foo"], "foo", false),                            // an equal line does
        (["foo (no-eol)"], "foo", true),
        (["a|b (regex)"], "bxb\n", true),                   // `^a|b$`: a line ending in b
        (["t* \\e[1m (escaped) (glob)"], "tab \u{1b}[1m\n", true),
        (["crlf"], "crlf\r\n", true),
        (["{{x}} ..."], "{{x}} ...\n", true),
        // The last annotation decides, what stands before it is text: scrut's combinations.
        (["a\\tb (escaped) (equal)"], "a\\tb (escaped)\n", true),
        (["a\\tb (escaped) (equal)"], "a\tb\n", false),
        (["a\\tb (esc) (eq)"], "a\\tb (esc)\n", true),
        (["x (escaped) (regex)"], "x escaped\n", true),    // the regex `^x (escaped)$`
        (["x (escaped) (regex)"], "x\n", false),
        (["g\\x41 (glob) (escaped)"], "g\u{41} (glob)", true), // escaped: any ending
        (["g* (glob) (escaped)"], "gg (glob)\n", false),
        (["p (escaped) (no-eol)"], "p (escaped)", true),
        (["e\\x41 (no-eol) (escaped)"], "eA\n", true),    // `(no-eol)` before `(escaped)` drops
        (["e\\x41 (escaped)"], "eA", true),
        (["t* \\(escaped\\) (glob)"], "tab\n", true),      // scrut's escaped parentheses
        (["t* (escaped?) (glob)"], "t* (escaped?)\n", true), // a quantified one is text
        (["x ()"], "x ()\n", true),
    ])
    func block(expected: [String], output: String, passes: Bool) throws {
        #expect(try Self.passes(expected, output) == passes, "\(expected) against \(output.debugDescription)")
    }
}
