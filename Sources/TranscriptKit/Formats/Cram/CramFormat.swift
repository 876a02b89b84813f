/// cram's (and prysk's) `.t` test files: prose, and sessions indented by two spaces (or
/// `--indent`), compared with cram's rules (`LineDialect.cram`) in cram's environment.
package struct CramFormat: DocumentFormat {
    /// The number of spaces that set a session line off, the shell and the environment.
    package var settings: CramSettings

    package init(settings: CramSettings = CramSettings()) {
        self.settings = settings
    }

    package var indent: Int { settings.indent ?? 2 }

    package var name: String { "cram" }

    package var fileExtensions: [String] { ["t"] }

    package func recognizes(_ text: String) -> Bool { true }

    package func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        var transcript = try CramParser(source: source, indent: indent).parse()
        if let shell = settings.shell { transcript.fileOptions.shell = shell }
        if let environment = settings.environment { transcript.fileOptions.environment = environment }
        transcript.format = self
        return transcript
    }

    /// cram runs every `.t` file it finds, an empty one too (reported as skipped).
    package func mayHoldSessions(_ text: String) -> Bool { true }

    /// cram runs a file of prose alone too, and it passes.
    package var runsWithoutSessions: Bool { true }

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
