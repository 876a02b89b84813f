import Testing
@testable import TranscriptKit

/// What every input format must do, checked on a sample document of each: blocks and commands
/// at the right lines and columns, expected output and `[N]` exactly, errors with file, line
/// and column, rewrite rules that refuse what would read back differently, and blocks it
/// renders that parse back to what was rendered.
@Suite("Formats: the contract every DocumentFormat keeps")
struct FormatContractTests {
    static let samples: [FormatSample] = [.markdown, .cram, .scrut]

    @Test(arguments: samples)
    func findsBlocksAndCommands(sample: FormatSample) throws {
        let transcript = try sample.format.parse(SourceFile(path: sample.path, text: sample.text))
        #expect(transcript.path == sample.path)
        try #require(transcript.blocks.count == sample.blocks.count)
        for (block, expected) in zip(transcript.blocks, sample.blocks) {
            #expect(block.openingLine == expected.openingLine)
            #expect(block.closingLine == expected.closingLine)
            #expect(block.isHidden == expected.isHidden)
            #expect(block.options == expected.options, "block at line \(expected.openingLine)")
            try #require(block.commands.count == expected.commands.count, "block at line \(expected.openingLine)")
            for (command, want) in zip(block.commands, expected.commands) {
                #expect(command.line == want.line)
                #expect(command.column == want.column, "command at line \(want.line)")
                #expect(command.text == want.text)
                #expect(command.expected.map(\.text) == want.output, "command at line \(want.line)")
                #expect(command.exitStatus?.status == want.status, "command at line \(want.line)")
            }
        }
    }

    @Test(arguments: samples)
    func theRegistryChoosesTheFormat(sample: FormatSample) throws {
        #expect(sample.format.takes(sample.path))
        // Without the text, a path goes to the general format of its extension.
        if sample.format.recognizes("") { #expect(DocumentFormats.format(for: sample.path).name == sample.format.name) }
        #expect(DocumentFormats.format(for: sample.path, text: sample.text).name == sample.format.name)
        #expect(DocumentFormats.isCandidate(sample.path))
        #expect(sample.format.mayHoldSessions(sample.text))
        let viaRegistry = try DocumentFormats.parse(SourceFile(path: sample.path, text: sample.text))
        #expect(viaRegistry.blocks.map(\.openingLine) == sample.blocks.map(\.openingLine))
    }

    @Test(arguments: samples)
    func errorsCarryFileLineAndColumn(sample: FormatSample) {
        #expect(throws: Diagnostics.self) { try sample.format.parse(SourceFile(path: sample.path, text: sample.broken.text)) }
        do {
            _ = try sample.format.parse(SourceFile(path: sample.path, text: sample.broken.text))
        } catch {
            let first = error.items.first
            #expect(first?.file == sample.path)
            #expect(first?.line == sample.broken.line)
            #expect(first?.column == sample.broken.column)
        }
    }

    /// The rules refuse each sample line, which written as it is would indeed read back as
    /// something else, and the rewriter's `(esc)` form of it reads back as written.
    @Test(arguments: samples)
    func rewriteRulesRefuseWhatReadsBackDifferently(sample: FormatSample) throws {
        let transcript = try sample.format.parse(SourceFile(path: sample.path, text: sample.text))
        for misread in sample.misreads {
            let block = transcript.blocks[misread.block]
            let rules = sample.format.contentLineRules(for: block)
            let bytes = Array(misread.line.utf8)
            #expect(rules.misreads(bytes), "\(misread.line) in block \(misread.block)")
            #expect(!rules.offsetsToEscape(in: bytes).isEmpty, "\(misread.line) in block \(misread.block)")
            let literalReadsBack = Self.readsBack(misread.line, in: transcript, block: misread.block, format: sample.format)
            #expect(!literalReadsBack, "\(misread.line) in block \(misread.block) reads back as written: the sample is wrong")
            let written = LineRewriter.expectedLine(for: bytes, noEOL: false, context: LineContext(rules: rules))
            let escapedReadsBack = Self.readsBack(written, in: transcript, block: misread.block, format: sample.format)
            #expect(written != misread.line)
            #expect(escapedReadsBack, "\(written) in block \(misread.block)")
        }
    }

    /// Whether `content`, written as the first expected line of the first command of block
    /// `index`, parses back as that line with the rest of the document unchanged.
    static func readsBack(_ content: String, in transcript: Transcript, block index: Int, format: any DocumentFormat) -> Bool {
        let block = transcript.blocks[index]
        guard let command = block.commands.first else { return false }
        let prefix = block.lines.first { $0.line == command.line }?.prefix ?? ""
        var lines = transcript.source.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert(prefix + content, at: command.lastLine)
        let source = SourceFile(path: transcript.path, text: lines.joined(separator: "\n"))
        guard let parsed = try? format.parse(source), parsed.blocks.count == transcript.blocks.count,
              let again = parsed.blocks[index].commands.first else { return false }
        return again.expected.map(\.text) == [content] + command.expected.map(\.text)
            && parsed.blocks[index].commands.count == block.commands.count
    }

    /// A rendered block parses back to its commands, output, status and options, with output
    /// lines the new block's rules make the rewriter escape.
    @Test(arguments: samples)
    func renderedBlocksRoundTrip(sample: FormatSample) throws {
        let rules = sample.format.newBlockLineRules
        let outputs = ["plain", "```", "~~~", "-->", "$ not a command", "[2]", "a ``` b", "...", ""]
        var lines = ["$ echo one", "> two"]
        for (index, output) in outputs.enumerated() {
            let context = LineContext(rules: rules, followsCommand: index == 0)
            lines.append(LineRewriter.expectedLine(for: Array(output.utf8), noEOL: false, context: context))
        }
        // A second command, where a block holds more than one.
        lines += sample.oneCommandPerBlock ? ["[3]"] : ["[3]", "$ true"]
        let text = "Intro\n\n" + sample.format.renderBlock(lines: lines, options: ["ws", "requires=docker"], ending: "\n")
        let transcript = try sample.format.parse(SourceFile(path: sample.path, text: text))
        let block = try #require(transcript.blocks.first)
        #expect(transcript.blocks.count == 1)
        if sample.carriesOptions {
            #expect(block.options.ws == true)
            #expect(block.options.requires?.count == 1)
        }
        try #require(block.commands.count == (sample.oneCommandPerBlock ? 1 : 2), "\(text)")
        #expect(block.commands[0].text == "echo one\ntwo")
        #expect(block.commands[0].expected.map(\.text) == Array(lines[2..<(2 + outputs.count)]), "\(text)")
        #expect(block.commands[0].exitStatus?.status == 3)
        if !sample.oneCommandPerBlock {
            #expect(block.commands[1].text == "true")
            #expect(block.commands[1].expected.isEmpty)
        }
        let rules2 = sample.format.contentLineRules(for: block)
        for line in lines { #expect(!rules2.misreads(Array(line.utf8)), "\(line)") }
    }
}
