import Testing
@testable import TranscriptKit

/// `transcript convert` for scrut documents: each converted line takes the output scrut's takes,
/// the configuration becomes options, and what cannot be said is an error with its place.
@Suite("Formats: scrut converted to Markdown")
struct ScrutConversionTests {
    /// Whether `output` passes `expected` read as scrut reads it, and as the converted lines.
    static func results(_ expected: [String], _ output: String) throws -> (scrut: Bool, converted: Bool) {
        var scrut = Options()
        scrut.dialect = .scrut(keepCRLF: false)
        let conversion = ScrutLineConversion(file: "doc.md")
        let lines = try expected.enumerated().map { offset, text throws(Diagnostic) in
            try conversion.convert(ExpectedLine(text: text, line: 11 + offset, column: 1))
        }
        let converted = ScrutConverter.fileOptions(Options())
        return (try Fixture.passes(expected, output, options: scrut), try Fixture.passes(lines, output, options: converted))
    }

    @Test(arguments: [
        (["foo (regex)"], "foo"),
        (["foo (regex)"], "foo\n"),
        (["sea|sand (regex+)"], "sea\nsandy\nsea\n"),
        (["sea|sand (regex+)"], "xsandy\n"),
        (["a|b (regex)"], "ab\n"),
        (["a|b (regex)"], "ba\n"),
        (["f?? (glob+)"], "foo\nfun\n"),
        (["f?? (glob+)"], "foo\nfu\n"),
        (["f?? \\x1b[1mbar (escaped) (glob)"], "foo \u{1b}[1mbar\n"),
        (["foo\\tbar (escaped)"], "foo\tbar\n"),
        (["foo \\e[1m (escaped)"], "foo \u{1b}[1m\n"),
        (["a", "b (+)", "x (?)", "c"], "a\nb\nb\nc\n"),
        (["a", "b (+)", "c"], "a\nc\n"),
        (["x (no-eol)"], "x"),
        (["x (no-eol)"], "x\n"),
        (["...", "{{x}}", "[1]"], "...\n{{x}}\n[1]\n"),
        (["ok [y/N] y"], "ok [y/N] y\n"),
        (["trailing  "], "trailing\n"),
        (["", "x"], "x\n"),
        ([" (?)", "x"], "x\n"),
        (["crlf"], "crlf\r\n"),
        (["a (escaped) (equal)"], "a (escaped)\n"),
        (["a (escaped) (equal)"], "a (escaped)"),
        (["g (glob) (escaped)"], "g (glob)"),
        (["x (escaped) (regex)"], "x escaped\n"),
        (["e\\x41 (no-eol) (escaped)"], "eA\n"),
        (["p (escaped) (no-eol)"], "p (escaped)"),
        (["a\\tb* (escaped) (glob+)"], "a\tbc\na\tb\n"),
        (["$"], "$\n"),
        (["$ echo two", "$ x\\y "], "$ echo two\n$ x\\y \n"),
    ])
    func aConvertedLineTakesWhatScrutTakes(expected: [String], output: String) throws {
        let (scrut, converted) = try Self.results(expected, output)
        #expect(scrut == converted, "\(expected) against \(output.debugDescription): scrut \(scrut), converted \(converted)")
    }

    @Test(arguments: [
        ("a|b (regex+)", ".*(?:^a|b$).* (re+) (any-eol)"),
        ("x\\d (regex)", "x\\d (re) (any-eol)"),
        ("f* (glob?)", "f* (glob?) (any-eol)"),
        ("{{x}} (*)", "{{x}} (equal*)"),
        ("...", "... (equal)"),
        ("tab\\there (escaped)", "tab\\x09here (esc) (any-eol)"),
        ("plain (escaped)", "plain (any-eol)"),
        ("end (no-eol)", "end (no-eol)"),
        // The last annotation decides; before it is text, which the Markdown line keeps so.
        ("a (escaped) (equal)", "a (escaped) (equal)"),
        ("a\\tb (esc) (eq)", "a\\tb (esc) (equal)"),
        ("x (regex) (equal+)", "x (regex) (equal+)"),
        ("p (escaped) (no-eol)", "p (escaped) (equal) (no-eol)"),
        ("x (escaped) (regex)", "x (escaped) (re) (any-eol)"),
        ("g (glob) (escaped)", "g (glob) (equal) (any-eol)"),
        // `(no-eol)` before `(escaped)` is dropped; `(escaped)` before a glob decodes it.
        ("e\\x41 (no-eol) (escaped)", "eA (any-eol)"),
        ("a\\tb* (escaped) (glob+)", "a\\x09b.* (re+) (any-eol)"),
        // A scrut block has one command: a later `$ ` line is output.
        ("$ echo \\x1b", "\\x24 echo \\\\x1b (esc)"),
        ("$ trailing ", "\\x24 trailing\\x20 (esc)"),
    ])
    func lines(scrut: String, markdown: String) throws {
        #expect(try ScrutLineConversion(file: "d.md").convert(ExpectedLine(text: scrut, line: 1, column: 1)) == markdown)
    }

    static func convert(_ text: String) throws -> String {
        try ScrutConverter.convert(SourceFile(path: "d.md", text: text))
    }

    @Test func frontMatterAndConfigurationBecomeOptions() throws {
        let markdown = try Self.convert("""
        ---
        shell: /bin/sh
        defaults:
          timeout: 5s
        ---
        Prose.

        ```scrut {output_stream: stderr, keep_crlf: true, detached: true, environment: {A: "1"}, wait: 1s}
        # why
        $ echo x >&2
        x
        ```

        """)
        #expect(markdown == """
        <!-- transcript-file: exact skip-exit=80 environment=scrut shell=/bin/sh stream=stdout crlf=lf -->
        Prose.

        <!--
        # why
        -->
        <!-- transcript
        $ export A='1'
        $ sleep 1.0
        -->
        <!-- transcript: timeout=5s ignore-exit stream=stderr crlf=keep -->
        ```console
        $ echo x >&2
        x
        ```

        """)
    }

    @Test func settingsBecomeOptionsAndLaterLinesOutput() throws {
        let markdown = try Self.convert("""
        ````scrut
        # made
        % timeout: 3s
        % output_stream: combined
        $ make-doc
        ```scrut
        $ echo hi
        hi (escaped) (equal)
        ```
        ````

        """)
        #expect(markdown.hasSuffix("""
        <!--
        # made
        -->
        <!-- transcript: timeout=3s stream=combined -->
        ````console
        $ make-doc
        ```scrut
        \\x24 echo hi (esc)
        hi (escaped) (equal)
        ```
        ````

        """))
    }

    @Test func aVariableOverLinesContinuesItsCommand() throws {
        let markdown = try Self.convert("```scrut {environment: {A: \"x\\ny\"}}\n$ echo \"$A\"\nx\ny\n```\n")
        #expect(markdown.contains("<!-- transcript\n$ export A='x\n> y'\n-->\n"))
    }

    @Test func aBlockInAContainerKeepsItsPrefix() throws {
        let markdown = try Self.convert("> ```scrut {timeout: 2s}\n> $ echo hi\n> hi\n> ```\n")
        #expect(markdown.hasSuffix("> <!-- transcript: timeout=2s -->\n> ```console\n> $ echo hi\n> hi\n> ```\n"))
    }

    @Test func aConsoleBlockIsSkipped() throws {
        let markdown = try Self.convert("```scrut\n$ true\n```\n\n```console\n$ false\n```\n")
        #expect(markdown.hasSuffix("<!-- transcript: skip=\"not a scrut test\" -->\n```console\n$ false\n```\n"))
    }

    @Test(arguments: [
        ("```scrut\n$ true\n```\n<!-- transcript\n$ echo hidden\n-->\n", "d.md:4:1"),
        ("# Plain\n", "d.md:1:1"),
        ("```scrut {timeot: 1s}\n$ true\n```\n", "d.md:1:11"),
        ("```scrut\n$ printf 'a'\n\\xff* (escaped) (glob)\n```\n", "d.md:3:1"),
        ("```scrut {environment: {A: \"-->\"}}\n$ true\n```\n", "d.md:1:1"),
        ("```scrut\n% mode: jsonschema\n$ true\n---\ntype: object\n```\n", "d.md:2:3"),
        ("```scrut\n# c\n%  timeot: 1s\n$ true\n```\n", "d.md:3:4"),
    ])
    func whatCannotBeSaidIsALocatedError(text: String, place: String) {
        do {
            _ = try ScrutConverter.convert(SourceFile(path: "d.md", text: text))
            Issue.record("converted: \(text.debugDescription)")
        } catch {
            #expect(error.items.first.map { "\($0.file):\($0.line):\($0.column)" } == place)
        }
    }
}
