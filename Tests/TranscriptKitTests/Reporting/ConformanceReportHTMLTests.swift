import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TranscriptKit

/// The HTML conformance report of a real run of small pages, read back as XML: its links lead
/// somewhere, its documented side shows no placeholder syntax, and nothing a page or its output
/// holds becomes markup.
@Suite struct ConformanceReportHTMLTests {
    static let pages: [(String, String)] = [
        ("a-pass.md", "# Pass\n\n```console\n$ echo ok\nok\n$ echo two\ntwo\n```\n"),
        ("b-fail.md", "# Fail\n\n```console\n$ printf 'id 3f2a\\nend\\n'\nid {{ID=/[0-9a-f]{4}/}}\n...\n$ echo \"$ID\"; (exit 3)\n{{$ID}} {{short-id}}\n[3]\n```\n"),
        ("c-diverge.md", "# Drift\n\n<!-- transcript: diverges=\"prints <actual>\" -->\n```console\n$ echo actual\ndocumented\n```\n"),
        ("<script>x&y.md", "# <img src=x onerror=alert(1)>\n\n```console\n$ echo '<b>bold</b> & more'\n<i>not</i>\n```\n"),
    ]

    /// The page written for a run of `pages` in a folder with `configuration` as its transcript.toml.
    static func report(configuration: String = "") throws -> (page: XMLDocument, text: String, directory: String) {
        let directory = NSTemporaryDirectory() + "html-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/out", withIntermediateDirectories: true)
        try configuration.write(toFile: directory + "/transcript.toml", atomically: true, encoding: .utf8)
        let runner = FileRunner(settings: RunSettings(), configurations: ConfigurationResolver(), engines: EngineSet(engines: []), observer: nil)
        let report = ConformanceReport(sink: ReportSink(path: directory + "/out/report.html"), page: .html)
        var outcomes: [FileOutcome] = []
        for (name, text) in pages {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            outcomes.append(runner.run(path: directory + "/" + name))
        }
        outcomes.forEach(report.add)
        report.finish(Summary(outcomes))
        let html = try String(contentsOfFile: directory + "/out/report.html", encoding: .utf8)
        return (try XMLDocument(xmlString: html, options: []), html, directory)
    }

    static func strings(_ page: XMLDocument, _ path: String) throws -> [String] {
        try page.nodes(forXPath: path).map { $0.stringValue ?? "" }
    }

    @Test func everyLinkWithinThePageLeadsToAnAnchor() throws {
        let (page, _, directory) = try Self.report()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ids = Set(try Self.strings(page, "//@id"))
        let links = try Self.strings(page, "//a/@href").filter { $0.hasPrefix("#") }
        #expect(links.count >= Self.pages.count * 2)
        for link in links { #expect(ids.contains(String(link.dropFirst())), "no anchor for \(link)") }
        let rows = try Self.strings(page, "//table[@class='summary']/tbody/tr/th/a/@href")
        let sections = try Self.strings(page, "//section/@id")
        #expect(rows == sections.map { "#" + $0 })
        #expect(sections.count == Self.pages.count)
    }

    @Test func theDocumentedSideShowsPlaceholdersAsWhatTheyStandFor() throws {
        let (page, _, directory) = try Self.report()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let documented = try Self.strings(page, "//table[@class='sbs']/tr[count(td)=3]/td[2]")
        #expect(!documented.isEmpty)
        #expect(!documented.contains { $0.contains("{{") })
        let chips = try Self.strings(page, "//span[contains(@class,'ph')]")
        #expect(Set(chips) == ["‹regex → $ID›", "…", "‹$ID›", "‹short-id›"])
        #expect(try Self.strings(page, "//span[contains(@class,'regex')]/@title") == ["[0-9a-f]{4}"])
        #expect(documented.contains("[3]"))
    }

    @Test func namesHeadingsAndOutputAreTextNeverMarkup() throws {
        let (page, text, directory) = try Self.report()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for element in ["script", "img", "b", "i"] {
            #expect(try page.nodes(forXPath: "//\(element)").isEmpty, "a <\(element)> element")
        }
        #expect(try Self.strings(page, "//h2/a[1]").contains { $0.hasSuffix("<script>x&y.md") })
        #expect(text.contains("&lt;b&gt;bold&lt;/b&gt; &amp; more"))
        #expect(try Self.strings(page, "//span[@class='note']") == ["prints <actual>"])
    }

    @Test func failingBlocksAreOpenAndTheOthersFolded() throws {
        let (page, _, directory) = try Self.report()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blocks = try page.nodes(forXPath: "//details[contains(@class,'block')]").compactMap { $0 as? XMLElement }
        let state = blocks.map { ($0.attribute(forName: "class")?.stringValue ?? "", $0.attribute(forName: "open") != nil) }
        #expect(state.map(\.0) == ["block conforms", "block fails", "block diverges", "block fails"])
        #expect(state.map(\.1) == [false, true, false, true])
        #expect(try Self.strings(page, "//input[@checked]/@id") == ["view-issues"])
    }

    @Test func blocksLinkToTheirSourceByTheConfiguredTemplateElseToTheFile() throws {
        let configured = try Self.report(configuration: "[report]\nsource_url = \"https://git.example/r/blob/main/{path}#L{line}\"\n")
        defer { try? FileManager.default.removeItem(atPath: configured.directory) }
        #expect(try Self.strings(configured.page, "//a[@class='line']/@href") == [
            "https://git.example/r/blob/main/a-pass.md#L3", "https://git.example/r/blob/main/b-fail.md#L3",
            "https://git.example/r/blob/main/c-diverge.md#L4", "https://git.example/r/blob/main/%3Cscript%3Ex&y.md#L3",
        ])
        let local = try Self.report()
        defer { try? FileManager.default.removeItem(atPath: local.directory) }
        #expect(try Self.strings(local.page, "//a[@class='line']/@href").first == "../a-pass.md#L3")
    }
}
