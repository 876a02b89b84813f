/// Meta's scrut Markdown tests: ```` ```scrut ```` blocks (with `{key: value}` configuration
/// after the language), `#` comment lines before a block's command, scrut's expectations
/// (`LineDialect.scrut`), YAML front matter, stdout only, exit 80 as a skip. A `.md` file with
/// a scrut block, and a `.scrut` file, are read so; their ```console blocks are not sessions.
package struct ScrutFormat: DocumentFormat {
    package init() {}

    package var name: String { "scrut" }

    /// `.md` (with a scrut block), and `.scrut`, which scrut picks up as Markdown too.
    package var fileExtensions: [String] { ["md", "scrut"] }

    /// Whether a ```scrut fence opens a code block of the document (not one shown inside
    /// another block).
    package func recognizes(_ text: String) -> Bool {
        guard text.contains("```scrut") else { return false }
        var scanner = BlockScanner(source: SourceFile(path: "", text: text))
        scanner.languages = ["scrut"]
        scanner.scrutCases = true
        scanner.scan()
        return scanner.blocks.contains { !$0.isHidden }
    }

    package func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        var problems: [Diagnostic] = []
        var front = ScrutFrontMatter(source: source)
        front.read()
        problems += front.problems
        var scanner = BlockScanner(source: source)
        scanner.languages = ["scrut"]
        scanner.scrutCases = true
        scanner.scan()
        problems += scanner.diagnostics
        var fileOptions = front.options
        for index in scanner.blocks.indices {
            var reader = ScrutCaseReader()
            reader.scrutCase = front.defaults.scrutCase
            reader.options = front.defaults.options
            reader.keepCRLF = front.defaults.keepCRLF
            let block = scanner.blocks[index]
            problems += configure(&reader, info: block.delimiters.info, line: block.openingLine, text: source.line(block.openingLine),
                                  file: source.path)
            problems += settings(&reader, of: block, file: source.path)
            if let skip = reader.options.skipExit {
                fileOptions.skipExit = skip
                reader.options.skipExit = nil
            }
            var options = reader.options
            options.dialect = .scrut(keepCRLF: reader.keepCRLF ?? false)
            options.scrutCase = reader.scrutCase
            // scrut compares standard output alone unless a block says otherwise.
            options.scrutCase?.stream = reader.scrutCase.stream ?? .stdout
            if reader.scrutCase.detached == true { options.ignoreExit = true }
            scanner.blocks[index].options = options
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        var transcript = Transcript(source: source, fileOptions: fileOptions, blocks: scanner.blocks)
        transcript.format = self
        return transcript
    }

    /// Reads the `{...}` after `scrut` in a fence's info string into `reader`.
    func configure(_ reader: inout ScrutCaseReader, info: String, line: Int, text: String, file: String) -> [Diagnostic] {
        let rest = String(info.dropFirst("scrut".count)).trimmingWhitespace
        guard !rest.isEmpty else { return [] }
        let column = text.firstIndex(of: "{").map { text.distance(from: text.startIndex, to: $0) + 1 } ?? 1
        return apply(rest, to: &reader, at: (file, line, column), help: "write ```scrut {timeout: 10s, output_stream: combined}")
    }

    /// Reads the `% key: value` lines before the block's command into `reader`, after its fence's
    /// configuration.
    func settings(_ reader: inout ScrutCaseReader, of block: SessionBlock, file: String) -> [Diagnostic] {
        ScrutCaseLines.leading(block).flatMap { line -> [Diagnostic] in
            guard let setting = ScrutCaseLines.setting(line.content) else { return [] }
            // The setting read as the mapping `{key: value}`, its brace one column before the key.
            return apply("{" + setting.text + "}", to: &reader, at: (file, line.line, line.contentColumn + setting.offset - 1), help: "write % timeout: 10s, one key and its value")
        }
    }

    /// Applies the flow mapping `mapping`, whose `{` stands at `place`, to `reader`.
    func apply(_ mapping: String, to reader: inout ScrutCaseReader, at place: (file: String, line: Int, column: Int),
               help: String) -> [Diagnostic] {
        let (file, line, column) = place
        var flow = FlowReader(mapping)
        switch flow.mapping() {
        case .failure(let error):
            return [Diagnostic(file: file, line: line, column: column + error.offset, message: "the test case's configuration is not a {key: value} mapping",
                               help: help)]
        case .success(let pairs):
            return pairs.compactMap { pair in
                reader.apply(pair.key, pair.value).map {
                    Diagnostic(file: file, line: line, column: column + pair.offset, message: $0.0, help: $0.1)
                }
            }
        }
    }

    package func mayHoldSessions(_ text: String) -> Bool { text.contains("```scrut") }

    package func contentLineRules(for block: SessionBlock) -> any ContentLineRules {
        MarkdownFormat().contentLineRules(for: block)
    }

    package var newBlockLineRules: any ContentLineRules { MarkdownFormat().newBlockLineRules }

    /// A ```scrut block.
    package func renderBlock(lines: [String], options: [String], ending: String) -> String {
        let block = MarkdownFormat().renderBlock(lines: lines, options: [], ending: ending)
        return block.replacingFirst("console", with: "scrut")
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
