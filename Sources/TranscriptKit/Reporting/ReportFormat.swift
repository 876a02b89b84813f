/// What a report format is given to write with: where its text goes, the run's settings and
/// whether it may use colour.
package struct ReportContext: Sendable {
    package var sink: ReportSink
    package var settings: RunSettings
    package var style: Style

    package init(sink: ReportSink, settings: RunSettings, style: Style = Style(color: false)) {
        self.sink = sink
        self.settings = settings
        self.style = style
    }
}

/// A report format `--format` and `--report FORMAT=PATH` accept: its name, a line of help, where
/// it may go and how to make it. `ReportFormat.all` is the registry.
package struct ReportFormat: Sendable, Equatable, CustomStringConvertible {
    /// The name on the command line.
    package let name: String
    /// One line saying what the format is for.
    package let help: String
    /// It may go to standard output with `--format`.
    package let streams: Bool
    /// It may go to a file with `--report FORMAT=PATH`.
    package let writesFiles: Bool
    /// On standard output it ends with the run's summary line itself; for the other formats the
    /// run writes that line to standard error.
    package let endsWithSummary: Bool
    private let make: @Sendable (ReportContext) -> any Report

    package init(name: String, help: String, streams: Bool, writesFiles: Bool, endsWithSummary: Bool = false,
                 make: @escaping @Sendable (ReportContext) -> any Report) {
        self.name = name
        self.help = help
        self.streams = streams
        self.writesFiles = writesFiles
        self.endsWithSummary = endsWithSummary
        self.make = make
    }

    /// A new report of this format writing to the context's sink.
    package func makeReport(_ context: ReportContext) -> any Report {
        make(context)
    }

    package var description: String { name }

    package static func == (a: ReportFormat, b: ReportFormat) -> Bool { a.name == b.name }
}

extension ReportFormat {
    package static let pretty = ReportFormat(
        name: "pretty", help: "for people: a line per file, each failure's diff",
        streams: true, writesFiles: false, endsWithSummary: true
    ) { context in
        PrettyReporter(out: context.sink, style: context.style, verbose: context.settings.verbose, jobs: context.settings.jobs,
                       durations: context.settings.durations)
    }

    package static let tap = ReportFormat(
        name: "tap", help: "TAP 13 (prove), a test point per session block",
        streams: true, writesFiles: true
    ) { TAPReport(sink: $0.sink) }

    package static let junit = ReportFormat(
        name: "junit", help: "JUnit XML, a testcase per session block",
        streams: true, writesFiles: true
    ) { JUnitReport(sink: $0.sink) }

    package static let json = ReportFormat(
        name: "json", help: "JSON Lines, an event per file, command and block",
        streams: true, writesFiles: true
    ) { JSONLinesReport(sink: $0.sink) }

    package static let github = ReportFormat(
        name: "github", help: "GitHub Actions annotations and job summary",
        streams: true, writesFiles: true, endsWithSummary: true
    ) { GitHubReport(sink: $0.sink, environment: $0.settings.environment) }

    package static let markdown = ReportFormat(
        name: "markdown", help: "conformance of each block, output side by side",
        streams: false, writesFiles: true
    ) { ConformanceReport(sink: $0.sink, page: .markdown) }

    package static let html = ReportFormat(
        name: "html", help: "conformance, as one self-contained HTML page",
        streams: false, writesFiles: true
    ) { ConformanceReport(sink: $0.sink, page: .html) }

    /// Every report format, in the order help and messages list them.
    package static let all: [ReportFormat] = [.pretty, .tap, .junit, .json, .github, .markdown, .html]

    /// The formats `--format` may send to standard output.
    package static var streamable: [ReportFormat] { all.filter(\.streams) }

    /// The formats `--report FORMAT=PATH` may write to a file.
    package static var fileable: [ReportFormat] { all.filter(\.writesFiles) }

    /// The format called `name`, if there is one.
    package static func named(_ name: String) -> ReportFormat? {
        all.first { $0.name == name }
    }
}
