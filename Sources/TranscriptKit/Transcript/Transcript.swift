/// A parsed transcript: its source and its session blocks in document order.
package struct Transcript: Sendable {
    package var source: SourceFile
    /// Options for every block of the file (in Markdown, from a `<!-- transcript-file: ... -->` comment).
    package var fileOptions: Options
    /// The line of that comment, if there is one.
    package var fileOptionsLine: Int?
    package var blocks: [SessionBlock]
    /// The format that read it with settings of its own (a `.t` file's indent), for reading it
    /// again; nil for a format read with none.
    package var format: (any DocumentFormat)?

    package init(source: SourceFile, fileOptions: Options = Options(), fileOptionsLine: Int? = nil, blocks: [SessionBlock] = []) {
        self.source = source
        self.fileOptions = fileOptions
        self.fileOptionsLine = fileOptionsLine
        self.blocks = blocks
    }

    package var path: String { source.path }
}
