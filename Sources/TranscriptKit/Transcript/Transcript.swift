/// A parsed transcript: its source and its session blocks in document order.
package struct Transcript: Sendable {
    package var source: SourceFile
    /// Options for every block of the file (in Markdown, from a `<!-- transcript-file: ... -->` comment).
    package var fileOptions: Options
    /// The line of that comment, if there is one.
    package var fileOptionsLine: Int?
    package var blocks: [SessionBlock]

    package init(source: SourceFile, fileOptions: Options = Options(), fileOptionsLine: Int? = nil, blocks: [SessionBlock] = []) {
        self.source = source
        self.fileOptions = fileOptions
        self.fileOptionsLine = fileOptionsLine
        self.blocks = blocks
    }

    package var path: String { source.path }
}
