/// cram's (and prysk's) `.t` test files: prose, and sessions indented by two spaces (or
/// `--indent`), compared with cram's rules (`LineDialect.cram`) in cram's environment.
package struct CramFormat: DocumentFormat {
    /// The number of spaces that set a session line off.
    package var indent: Int

    package init(indent: Int = 2) {
        self.indent = indent
    }

    package var name: String { "cram" }

    package var fileExtensions: [String] { ["t"] }

    package func recognizes(_ text: String) -> Bool { true }

    package func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        try CramParser(source: source, indent: indent).parse()
    }

    /// cram runs every `.t` file it finds, an empty one too (reported as skipped).
    package func mayHoldSessions(_ text: String) -> Bool { true }

    package func contentLineRules(for block: SessionBlock) -> any ContentLineRules { CramLineRules() }

    package var newBlockLineRules: any ContentLineRules { CramLineRules() }

    /// The lines indented, after a blank line; a `.t` file has no options to write.
    package func renderBlock(lines: [String], options: [String], ending: String) -> String {
        let prefix = String(repeating: " ", count: indent)
        return lines.map { prefix + $0 + ending }.joined()
    }
}

/// An indented output line never ends its block: only the session syntax (`$ `, `> `) could
/// make one read as something else, and the rewriter handles that.
package struct CramLineRules: ContentLineRules {
    package init() {}
    package func misreads(_ bytes: [UInt8]) -> Bool { false }
    package func offsetsToEscape(in bytes: [UInt8]) -> [Int] { [] }
}
