import Testing
@testable import TranscriptKit

@Suite struct LineRewriterTests {
    static let fenced = LineContext(rules: MarkdownFenceRules(character: UInt8(ascii: "`"), length: 3))

    /// What a literal output line is written as.
    @Test(arguments: [
        ("hello", "hello"),
        ("", ""),
        ("$HOME is set", "$HOME is set"),
        ("a {{b}} c", "a \\{{b}} c"),
        ("\\{{x", "\\\\{{x"),
        ("$ ls", "\\x24 ls (esc)"),
        ("$", "\\x24 (esc)"),
        ("...", "\\x2e.. (esc)"),
        ("....", "...."),
        ("[3]", "\\x5b3] (esc)"),
        ("[0]", "[0]"),
        ("ok (re)", "ok \\x28re) (esc)"),
        ("ok (glob)", "ok \\x28glob) (esc)"),
        ("ok (esc)", "ok \\x28esc) (esc)"),
        ("ok (no-eol)", "ok \\x28no-eol) (esc)"),
        ("```", "\\x60`` (esc)"),
        ("  ````x", "  ````x"),
        ("``", "``"),
        ("~~~", "~~~"),
        ("a\u{1b}[1mb", "a\\x1b[1mb (esc)"),
        ("tab\there", "tab\there"),
        ("\tlead", "\\tlead (esc)"),
        ("caf\u{e9}", "caf\u{e9}"),
        ("a-->b", "a-->b"),
    ])
    func literal(actual: String, written: String) {
        #expect(LineRewriter.expectedLine(for: Array(actual.utf8), noEOL: false, context: Self.fenced) == written)
    }

    @Test(arguments: [
        (false, "> quoted", "> quoted"),
        (true, "> quoted", "\\x3e quoted (esc)"),
        (true, ">", ">"),
        (true, "> ", "\\x3e  (esc)"),
        (true, ">x", ">x"),
    ])
    func continuationAfterCommand(follows: Bool, actual: String, written: String) {
        var context = Self.fenced
        context.followsCommand = follows
        #expect(LineRewriter.expectedLine(for: Array(actual.utf8), noEOL: false, context: context) == written)
    }

    @Test func hiddenSessionsEscapeTheCommentEnd() {
        let hidden = LineContext(rules: MarkdownCommentRules())
        #expect(LineRewriter.expectedLine(for: Array("a-->b".utf8), noEOL: false, context: hidden) == "a\\x2d->b (esc)")
        #expect(LineRewriter.expectedLine(for: Array("```".utf8), noEOL: false, context: hidden) == "```")
    }

    @Test func longerFencesAndTildes() {
        let tilde = LineContext(rules: MarkdownFenceRules(character: UInt8(ascii: "~"), length: 4))
        #expect(LineRewriter.expectedLine(for: Array("~~~".utf8), noEOL: false, context: tilde) == "~~~")
        #expect(LineRewriter.expectedLine(for: Array("~~~~~".utf8), noEOL: false, context: tilde) == "\\x7e~~~~ (esc)")
        #expect(LineRewriter.expectedLine(for: Array("```".utf8), noEOL: false, context: tilde) == "```")
    }

    @Test func invalidUTF8AndNoEOL() {
        #expect(LineRewriter.expectedLine(for: [0x61, 0xFF, 0x5C], noEOL: true, context: Self.fenced) == "a\\xff\\\\ (esc) (no-eol)")
        #expect(LineRewriter.expectedLine(for: Array("end".utf8), noEOL: true, context: Self.fenced) == "end (no-eol)")
    }

    @Test func exactKeepsTrailingWhiteSpaceVisible() {
        let exact = LineContext(rules: MarkdownFenceRules(character: UInt8(ascii: "`"), length: 3), exact: true)
        #expect(LineRewriter.expectedLine(for: Array("x  ".utf8), noEOL: false, context: exact) == "x\\x20\\x20 (esc)")
        #expect(LineRewriter.expectedLine(for: Array("x\t".utf8), noEOL: false, context: exact) == "x\\t (esc)")
    }

    /// Placeholders stay where the new text still fits them; literal text comes from the output.
    @Test(arguments: [
        ("took {{duration}}", "took 3s", "took {{duration}}"),
        ("run {{int}} of 40", "run 42 of 50", "run {{int}} of 50"),
        ("id={{ID=/[a-z]+[0-9]+/}} finished", "id=abc123 done", "id={{ID=/[a-z]+[0-9]+/}} done"),
        ("{{short-id}} created", "0123456789ab removed", "{{short-id}} removed"),
        ("{{$NAME}} left", "web right", "{{$NAME}} right"),
        ("{{int}} files", "many files", nil),
        ("at {{int}}", "{{at}} 5", "\\{{at}} {{int}}"),
        ("plain", "other", nil),
        ("x (re)", "y", nil),
        ("...", "y", nil),
        ("a{{int}}", "$ 5", nil),
    ] as [(String, String, String?)])
    func keepingPlaceholders(expected: String, actual: String, written: String?) {
        let kept = LineRewriter.keepingPlaceholders(expected: expected, actual: Array(actual.utf8), noEOL: false,
                                                    library: Fixture.library, variables: ["NAME": "web"], context: Self.fenced)
        #expect(kept == written)
    }

    @Test func placeholderLinesSplitAsTheCompilerReadsThem() throws {
        let segments = try #require(PlaceholderLine.split("a \\{{b {{int}}{{X=/[0-9]}}/}} {{$X}}"))
        #expect(segments == [
            .literal("a {{b "),
            .placeholder("{{int}}", .named("int")),
            .placeholder("{{X=/[0-9]}}/}}", .inline("[0-9]}}")),
            .literal(" "),
            .placeholder("{{$X}}", .reference("X")),
        ])
        #expect(PlaceholderLine.split("{{unclosed") == nil)
    }

    /// Every byte string, written by the rewriter into a session block in any container, parses
    /// back to an expectation that the same output matches.
    @Test(arguments: [
        "", "plain", "$ ls", "$", "...", "[7]", "x (re)", "y (glob) ", "```", "````", "~~~", "{{int}}", "\\{{",
        "> quoted", ">", "\tlead", "  two spaces", "trail  ", "a\u{7f}b", "\u{1b}[0m", "-->", "caf\u{e9} \u{1F600}",
    ])
    func roundTrip(line: String) throws {
        for container in ["", "> ", "- ", "1. ", "> - "] {
            for exact in [false, true] {
                for noEOL in [false, true] {
                    var output = Array(line.utf8)
                    if !noEOL { output.append(0x0A) }
                    try expectRoundTrip(output: output, container: container, exact: exact)
                }
            }
        }
        try expectRoundTrip(output: [0x61, 0xC3, 0x0A], container: "> ", exact: false)
    }

    private func expectRoundTrip(output: [UInt8], container: String, exact: Bool) throws {
        let indent = String(repeating: " ", count: container.count)
        let first = container
        let rest = container.hasPrefix(">") ? "> " + String(repeating: " ", count: max(0, container.count - 2)) : indent
        let context = LineContext(rules: MarkdownFenceRules(character: UInt8(ascii: "`"), length: 3), exact: exact, followsCommand: true)
        let lines = ActualLine.split(output, exact: exact)
        let written = lines.map { LineRewriter.expectedLine(for: Array($0.bytes), noEOL: $0.noEOL, context: context) }
        var text = (exact ? "<!-- transcript: exact -->\n" : "") + first + "```console\n" + rest + "$ cmd\n"
        for line in written { text += (line.isEmpty ? rest.trimmingTrailingBlanks : rest + line) + "\n" }
        text += rest + "```\n"
        let transcript = try MarkdownParser.parse(SourceFile(path: "doc.md", text: text))
        let command = try #require(transcript.blocks.first?.commands.first, "\(text)")
        #expect(command.exitStatus == nil, "\(text)")
        var known = Set<String>()
        var options = Options()
        if exact { options.exact = true }
        let matcher = try OutputMatcher(command: command, options: options, library: Fixture.library, file: "doc.md",
                                        knownVariables: &known)
        var bindings = Bindings()
        #expect(matcher.match(output, bindings: &bindings).passed, "\(text)")
    }
}
