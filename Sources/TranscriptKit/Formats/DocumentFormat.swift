/// One input format: which files it reads, how it parses them into the model, and what update
/// and record need to write into its documents. Every format passes the contract tests in
/// `Tests/TranscriptKitTests/Formats/FormatContractTests.swift`.
package protocol DocumentFormat: Sendable {
    /// The format's name, for messages ("markdown").
    var name: String { get }
    /// The file name extensions (without the dot) the format reads; discovery looks for these.
    var fileExtensions: [String] { get }
    /// Whether a document with this text is in this format. Only formats that share an extension
    /// with another one look; the general format of an extension recognizes every text.
    func recognizes(_ text: String) -> Bool
    /// Parses `source`; every problem found is reported with its file, line and column.
    func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript
    /// Whether `text`, a file found in a directory, may hold sessions at all: a quick look, not a
    /// parse, so that prose beside transcripts (a README) is not reported as a skipped transcript.
    func mayHoldSessions(_ text: String) -> Bool
    /// What a content line of `block` may not look like, for update's rewriting.
    func contentLineRules(for block: SessionBlock) -> any ContentLineRules
    /// What a content line of a block written by `renderBlock` may not look like.
    var newBlockLineRules: any ContentLineRules { get }
    /// A new session block holding `lines` (`$ ` commands and expected output, as update writes
    /// them), with the block's options (`name=value` words) when there are any; each line ends
    /// in `ending`.
    func renderBlock(lines: [String], options: [String], ending: String) -> String
    /// Whether a document of text without any session still runs (its shell, with nothing to
    /// compare: it passes), as cram runs a `.t` file without a command; otherwise it is skipped.
    var runsWithoutSessions: Bool { get }
}

extension DocumentFormat {
    package var runsWithoutSessions: Bool { false }

    /// Whether `path` has one of the format's extensions.
    package func takes(_ path: String) -> Bool {
        fileExtensions.contains { path.hasSuffix("." + $0) }
    }
}

/// What a content line of one block may not look like because the block's format would read it
/// back as something else (the line that ends the block, say), and how an `(esc)` line avoids it.
/// Command, continuation, status and annotation syntax is the session's, the same in every
/// format, and `LineRewriter` handles it.
package protocol ContentLineRules: Sendable {
    /// Whether `bytes`, written literally as a content line, would not read back as that line.
    func misreads(_ bytes: [UInt8]) -> Bool
    /// The offsets in `bytes` to write as `\xHH` in an `(esc)` line so that it reads back as
    /// a content line.
    func offsetsToEscape(in bytes: [UInt8]) -> [Int]
}
