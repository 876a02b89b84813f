import Foundation

/// An overlay for documents that cannot be edited (another project's pages): a directory whose
/// `transcript.toml` holds the configuration the pages run with and, per document (a glob) and
/// per block (by line, heading or a command's text), options and hidden sessions to insert.
/// Applied after a document is parsed and before it is compiled (`overlay(_:)`); the document
/// itself is never written.
package struct Sidecar: Sendable {
    /// The sidecar's directory, as named, and absolute.
    package var directory: String
    package var absoluteDirectory: String
    /// Its `transcript.toml`, as reports name it.
    package var path: String
    /// The configuration every page runs with (a `transcript.toml` beside the pages is not read).
    package var configuration: Configuration
    /// The pages' folder when the command line names none (`upstream`), resolved against the
    /// sidecar's directory, and where that key is written.
    package var upstream: String?
    package var upstreamPosition: ConfigurationPosition?
    /// The `[[document]]` entries, in the order written.
    package var documents: [SidecarDocument]

    /// The entries whose glob matches `path`, in the order written.
    package func documents(for path: String) -> [SidecarDocument] {
        documents.filter { $0.glob.matches(path) }
    }
}

/// One `[[document]]` entry: which pages (a glob), their file options, sessions to run before
/// their first block and after their last, and the blocks it changes.
package struct SidecarDocument: Sendable {
    package var glob: PathGlob
    /// Where `path = "..."` is written.
    package var position: ConfigurationPosition
    package var options: Options?
    package var before: SessionBlock?
    package var after: SessionBlock?
    package var blocks: [SidecarBlock]
}

/// One `[[document.block]]` entry: which block of the page, the options that win over the
/// block's own, and sessions inserted before and after it.
package struct SidecarBlock: Sendable {
    package var selector: BlockSelector
    package var options: Options?
    package var before: SessionBlock?
    package var after: SessionBlock?
    /// Where the `[[document.block]]` header is written.
    package var position: ConfigurationPosition
}

/// How a sidecar names a block of a page. Every criterion given narrows the page's session
/// blocks; `index` then picks the N-th (1-based) of those left, and without it exactly one
/// must be left, so a changed page is reported rather than matched wrongly.
package struct BlockSelector: Sendable, Hashable {
    /// The line of the block's opening fence.
    package var line: Int?
    /// The nearest heading above the block (compared without markup, case and extra spaces).
    package var heading: String?
    /// A text one of the block's commands contains.
    package var contains: String?
    package var index: Int?
    /// Where each criterion is written, for errors.
    package var positions: [String: ConfigurationPosition] = [:]

    package init(line: Int? = nil, heading: String? = nil, contains: String? = nil, index: Int? = nil) {
        self.line = line
        self.heading = heading
        self.contains = contains
        self.index = index
    }

    /// `heading "Examples", index 2`: the selector as the sidecar writes it.
    package var description: String {
        var parts: [String] = []
        if let line { parts.append("line = \(line)") }
        if let heading { parts.append("heading = \"\(heading)\"") }
        if let contains { parts.append("contains = \"\(contains)\"") }
        if let index { parts.append("index = \(index)") }
        return parts.joined(separator: ", ")
    }
}

extension Sidecar {
    /// Reads the sidecar in `directory` (its `transcript.toml`); every problem is a diagnostic at
    /// the sidecar's line and column.
    package static func load(directory: String) throws(Diagnostics) -> Sidecar {
        var isDirectory: ObjCBool = false
        let file = (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/transcript.toml"
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Diagnostics([Diagnostic(file: directory, line: 0, column: 0, message: "no sidecar directory here",
                                          help: "name a directory holding a transcript.toml with [[document]] entries")])
        }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw Diagnostics([Diagnostic(file: file, line: 0, column: 0, message: "the sidecar has no readable transcript.toml",
                                          help: "write \(file) with the pages' configuration and [[document]] entries")])
        }
        return try parse(text, path: file, directory: directory)
    }

    /// Parses a sidecar's `transcript.toml` text.
    package static func parse(_ text: String, path: String, directory: String) throws(Diagnostics) -> Sidecar {
        let table = try Configuration.parseTOML(text, path: path)
        var problems: [Diagnostic] = []
        var configuration = Configuration()
        do { configuration = try Configuration.parse(text, path: path, alsoAllowed: SidecarReader.topKeys) } catch { problems += error.items }
        var reader = SidecarReader(table: table, text: text, path: path)
        let documents = reader.documents()
        let upstream = reader.upstream()
        problems += reader.problems
        if !problems.isEmpty { throw Diagnostics(problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        let absoluteDirectory = URL(fileURLWithPath: absolute(directory)).standardizedFileURL.path
        let resolved = upstream.map { value in
            value.value.hasPrefix("/") ? value.value
                : displayPath(URL(fileURLWithPath: absoluteDirectory + "/" + value.value).standardizedFileURL.path)
        }
        return Sidecar(directory: directory, absoluteDirectory: absoluteDirectory, path: path, configuration: configuration,
                       upstream: resolved, upstreamPosition: upstream?.position, documents: documents)
    }
}
