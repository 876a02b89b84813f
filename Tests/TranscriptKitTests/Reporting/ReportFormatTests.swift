import Foundation
import Testing
@testable import TranscriptKit

@Suite struct ReportFormatTests {
    @Test func theRegistryListsEveryFormatInHelpOrder() {
        #expect(ReportFormat.all.map(\.name) == ["pretty", "tap", "junit", "json", "github", "markdown", "html"])
        #expect(ReportFormat.streamable.map(\.name) == ["pretty", "tap", "junit", "json", "github"])
        #expect(ReportFormat.fileable.map(\.name) == ["tap", "junit", "json", "github", "markdown", "html"])
        #expect(ReportFormat.all.filter(\.endsWithSummary).map(\.name) == ["pretty", "github"])
        for format in ReportFormat.all {
            #expect(ReportFormat.named(format.name) == format)
            #expect(!format.help.isEmpty && !format.help.contains("\n"))
        }
        #expect(ReportFormat.named("xml") == nil)
    }

    /// What each format writes when no file ran: its own way of saying so.
    static let emptyRun: [(String, String)] = [
        ("pretty", "transcripts: 0 passed, 0 failed, 0 skipped\n"),
        ("tap", "TAP version 13\n1..0\n# transcripts: 0 passed, 0 failed, 0 skipped\n"),
        ("junit", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"transcript\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n</testsuites>\n"),
        ("json", "{\"diverged_blocks\":0,\"event\":\"summary\",\"exit_code\":0,\"failed\":0,\"invalid\":0,\"passed\":0,\"skipped\":0}\n"),
        ("github", "transcripts: 0 passed, 0 failed, 0 skipped\n"),
        ("markdown", "# Conformance report\n\n| verdict | blocks |\n| --- | --- |\n| conforms | 0 |\n\ntranscripts: 0 passed, 0 failed, 0 skipped\n"),
    ]

    @Test(arguments: emptyRun)
    func eachFactoryWritesASummaryForAnEmptyRun(name: String, expected: String) throws {
        let text = try Self.emptyReport(name)
        #expect(text == expected)
    }

    @Test func theHTMLPageSaysNothingRan() throws {
        let text = try Self.emptyReport("html")
        #expect(text.hasPrefix("<!DOCTYPE html>"))
        #expect(text.contains("<p class=\"summary-line\">transcripts: 0 passed, 0 failed, 0 skipped</p>"))
        #expect(text.contains("No block fails or diverges."))
        #expect(text.hasSuffix("</body></html>\n"))
    }

    @Test func everyFormatIsCovered() {
        #expect(Set(Self.emptyRun.map(\.0) + ["html"]) == Set(ReportFormat.all.map(\.name)))
    }

    /// The text a report of the format `name` writes to a file for a run of no files.
    static func emptyReport(_ name: String) throws -> String {
        let format = try #require(ReportFormat.named(name))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-format-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("report").path
        let report = format.makeReport(ReportContext(sink: ReportSink(path: path), settings: RunSettings()))
        report.start(total: 0, environment: [:])
        report.finish(Summary())
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    // MARK: The command line's options

    @Test func formatTakesOnlyWhatCanGoToStandardOutput() throws {
        #expect(try ReportFormat.parse(format: "tap") == .tap)
        #expect(try ReportFormat.parse(format: "pretty") == .pretty)
        #expect(throws: ReportOptionError(message: "--format must be one of pretty, tap, junit, json, github, not 'html'")) {
            try ReportFormat.parse(format: "html")
        }
        #expect(throws: ReportOptionError(message: "--format must be one of pretty, tap, junit, json, github, not 'xml'")) {
            try ReportFormat.parse(format: "xml")
        }
    }

    @Test(arguments: [("junit=out/junit.xml", "junit", "out/junit.xml"), ("html=a=b.html", "html", "a=b.html"), ("markdown=x", "markdown", "x")])
    func reportTakesAFormatAndAPath(item: String, name: String, path: String) throws {
        let parsed = try ReportFormat.parse(report: item)
        #expect(parsed.format.name == name)
        #expect(parsed.path == path)
    }

    @Test(arguments: ["pretty=out.txt", "tap=", "=out.tap", "tap", "xml=out.xml", ""])
    func reportRefusesAnythingElse(item: String) {
        let message = "--report must be FORMAT=PATH with FORMAT one of tap, junit, json, github, markdown, html, not '\(item)'"
        #expect(throws: ReportOptionError(message: message)) { try ReportFormat.parse(report: item) }
    }

    @Test func theOptionsHelpListsTheFormats() {
        #expect(ReportFormat.formatOptionHelp == "The report on standard output: pretty, tap, junit, json or github.")
        #expect(ReportFormat.reportOptionHelp == "Also write a report to a file (repeatable): tap, junit, json, github, markdown or html.")
        let catalogue = ReportFormat.catalogue.split(separator: "\n")
        #expect(catalogue.first == "Report formats:")
        #expect(catalogue.count == ReportFormat.all.count + 1)
        #expect(catalogue.allSatisfy { $0.count < 80 })
        #expect(catalogue[1].hasSuffix("(--format only)"))
        #expect(catalogue[7].hasSuffix("(--report only)"))
    }
}
