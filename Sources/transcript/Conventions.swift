import ArgumentParser
import TranscriptKit

/// `--color auto|always|never`, shared by the commands that write for people.
struct ColorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Colour in the report and diffs: 'auto' (on a terminal, unless NO_COLOR is set or TERM=dumb), 'always' (piped too) or 'never'.", valueName: "when"))
    var color: ColorChoice = .auto
}

extension ColorChoice: ExpressibleByArgument {}

/// What the shells complete, from the registries: document files (and directories) by the
/// extensions the formats read, report formats by name.
enum Completions {
    /// Transcript files (and directories, which every shell offers with them), by the extensions
    /// of every registered format, each once.
    static var documents: CompletionKind {
        var seen = Set<String>()
        return .file(extensions: DocumentFormats.all.flatMap(\.fileExtensions).filter { seen.insert($0).inserted })
    }

    /// `--format NAME`: the formats that can go to standard output.
    static var format: CompletionKind { .list(ReportFormat.streamable.map(\.name)) }

    /// `--report FORMAT=PATH`: the formats that can go to a file, each with its `=`.
    static var report: CompletionKind { .list(ReportFormat.fileable.map { $0.name + "=" }) }

    /// `--engine`: the modes, then each registered engine by name.
    static var engine: CompletionKind { .list(["private", "host"] + EngineRegistry.names) }
}
