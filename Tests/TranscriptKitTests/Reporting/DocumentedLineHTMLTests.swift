import Foundation
import Testing
@testable import TranscriptKit

@Suite struct DocumentedLineHTMLTests {
    static let renderer = DocumentedLineHTML(library: try? PatternLibrary(), readsPlaceholders: true)

    static let lines: [(String, String)] = [
        ("{{/[0-9a-f]{52}/}}", "<span class=\"ph regex\" title=\"[0-9a-f]{52}\">‹regex›</span>"),
        ("app {{$MYAPP}}!", "app <span class=\"ph variable\" title=\"the text captured as $MYAPP\">‹$MYAPP›</span>!"),
        ("{{CID=short-id}}", "<span class=\"ph named\" title=\"short-id: [0-9a-f]{12}\">‹short-id → $CID›</span>"),
        ("...", "<span class=\"ph ellipsis\" title=\"any number of lines\">…</span>"),
        ("a {{x}} (re)", "a {{x}} <span class=\"ph tag\" title=\"the line is a regular expression (PCRE2)\">(re)</span>"),
        ("x (re) (no-eol)", "x <span class=\"ph tag\" title=\"the line is a regular expression (PCRE2)\">(re)</span> "
            + "<span class=\"ph tag\" title=\"the output does not end with a newline\">(no-eol)</span>"),
        ("\\{{literal}} <b>", "{{literal}} &lt;b&gt;"),
        ("{{unclosed", "{{unclosed"),
    ]

    @Test(arguments: lines)
    func aLineShowsWhatItsPlaceholdersStandFor(line: String, html: String) {
        #expect(Self.renderer.html(line) == html)
    }

    @Test func aLineOfAnotherDialectIsShownAsWritten() {
        let cram = DocumentedLineHTML(library: nil, readsPlaceholders: false)
        #expect(cram.html("{{x}} <b> ...") == "{{x}} &lt;b&gt; ...")
    }

    static let templates: [(String, String?)] = [
        ("https://github.com/o/r/blob/main/{path}#L{line}", nil),
        ("https://git.example/{path}", nil),
        ("https://git.example/{file}#L{line}", "source_url 'https://git.example/{file}#L{line}' has no {path}"),
        ("https://git.example/{path}#{column}", "source_url 'https://git.example/{path}#{column}' has an unknown field '{column}'; the fields are {path} and {line}"),
        ("https://git.example/{path}#{line", "source_url 'https://git.example/{path}#{line' has an unknown field '{line'; the fields are {path} and {line}"),
    ]

    @Test(arguments: templates)
    func aSourceURLTemplateHoldsPathAndLineOnly(template: String, problem: String?) {
        #expect(Configuration.sourceURLProblem(template) == problem)
    }

    @Test func aLinkIsRelativeToTheReportOrTheFileURLWithoutOne() {
        let links = SourceLinks(reportPath: "site/out/report.html", workingDirectory: "/w")
        #expect(links.url(path: "docs/a b.md", line: 4, configuration: nil) == "../../docs/a%20b.md#L4")
        #expect(SourceLinks(reportPath: nil, workingDirectory: "/w").url(path: "a.md", line: 1, configuration: nil) == "file:///w/a.md#L1")
        var configuration = Configuration()
        configuration.path = "docs/transcript.toml"
        configuration.sourceURL = "https://git.example/{path}?plain=1#L{line}"
        #expect(links.url(path: "docs/sub/a.md", line: 9, configuration: configuration) == "https://git.example/sub/a.md?plain=1#L9")
        #expect(links.url(path: "other/a.md", line: 9, configuration: configuration) == "../../other/a.md#L9")
    }
}
