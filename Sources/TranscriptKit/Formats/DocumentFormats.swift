/// The registry of input formats, chosen by file (extension, then a look at the content): run,
/// list, update and record all parse and write documents through it.
package enum DocumentFormats {
    /// Every format. A format that needs a look at the content to tell its files from another
    /// format's with the same extension comes before that (general) format.
    package static let all: [any DocumentFormat] = [ScrutFormat(), MarkdownFormat(), CramFormat()]

    /// The format of files no format claims by extension (a transcript named on the command line
    /// is read as Markdown whatever its name).
    package static let fallback: any DocumentFormat = MarkdownFormat()

    /// The format that reads `path`: among the formats taking its extension, the first that
    /// recognizes `text`; without `text`, the general format of the extension.
    package static func format(for path: String, text: String? = nil) -> any DocumentFormat {
        let candidates = all.filter { $0.takes(path) }
        if let text, let recognizing = candidates.first(where: { $0.recognizes(text) }) { return recognizing }
        return candidates.last ?? fallback
    }

    /// The format of `source`, by its path and text.
    package static func format(for source: SourceFile) -> any DocumentFormat {
        format(for: source.path, text: source.text)
    }

    /// Parses `source` with its format.
    package static func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        try format(for: source).parse(source)
    }

    /// Parses `source` with its format, a `.t` file with `cram`'s indent, shell and environment.
    package static func parse(_ source: SourceFile, cram: CramSettings) throws(Diagnostics) -> Transcript {
        let format = format(for: source)
        guard format is CramFormat else { return try format.parse(source) }
        return try CramFormat(settings: cram).parse(source)
    }

    /// Whether discovery looks at a file named `name` found in a directory.
    package static func isCandidate(_ name: String) -> Bool {
        all.contains { $0.takes(name) }
    }
}
