/// `transcript convert` for a scrut Markdown document: the same document with each ```scrut
/// block a ```console block that passes under the Markdown rules where scrut's passes. The file
/// option comment carries what scrut gives every test case (`exact`, its environment and shell,
/// exit 80 as a skip, standard output alone, CR LF read as LF) and replaces the front matter; a
/// block's own configuration becomes its option comment (`timeout=`, `stream=`, `crlf=keep`,
/// `ignore-exit` for `detached`), its variables and wait a hidden session before it, its `#`
/// comment lines an HTML comment. Blocks Markdown would run and scrut does not are skipped.
package enum ScrutConverter {
    /// The Markdown for `source`; every part that cannot be converted faithfully is an error.
    package static func convert(_ source: SourceFile) throws(Diagnostics) -> String {
        guard ScrutFormat().recognizes(source.text) else {
            throw Diagnostics([Diagnostic(file: source.path, line: 1, column: 1, message: "not a scrut document: it has no ```scrut block",
                                          help: "convert a Markdown file whose tests are ```scrut blocks, or a cram .t file")])
        }
        let transcript = try ScrutFormat().parse(source)
        var problems: [Diagnostic] = []
        var others = Set<Int>()
        var scanner = BlockScanner(source: source)
        scanner.scan()
        for block in scanner.blocks {
            guard block.isHidden else { others.insert(block.openingLine); continue }
            problems.append(Diagnostic(file: source.path, line: block.openingLine, column: 1,
                                       message: "a hidden session cannot be converted faithfully: scrut does not run it, Markdown would",
                                       help: "make it a ```scrut block, or remove it"))
        }
        let conversion = ScrutLineConversion(file: source.path)
        var out = "<!-- transcript-file: " + fileOptions(transcript.fileOptions).summary + " -->\n"
        var blocks = transcript.blocks[...]
        var number = frontMatterEnd(source) + 1
        while number <= source.lines.count {
            let text = source.line(number)
            if let block = blocks.first, block.openingLine == number {
                do {
                    out += try render(block, fence: text, conversion: conversion)
                } catch {
                    problems.append(error)
                }
                number = block.closingLine + 1
                blocks = blocks.dropFirst()
                continue
            }
            if others.contains(number) {
                out += lead(of: text, before: "`~") + "<!-- transcript: skip=\"not a scrut test\" -->\n" + continuation(of: text, before: "`~")
                out += String(text.drop { $0 != "`" && $0 != "~" }) + "\n"
            } else {
                out += text + "\n"
            }
            number += 1
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return out
    }

    /// What every block of the converted file runs with.
    static func fileOptions(_ parsed: Options) -> Options {
        var options = Options()
        options.exact = true
        options.environment = parsed.environment
        options.shell = parsed.shell
        options.skipExit = parsed.skipExit
        options.scrutCase = ScrutCase(stream: .stdout)
        options.crlfAsLF = true
        return options
    }

    /// A block's configuration where it differs from the file's.
    static func blockOptions(_ parsed: Options) -> Options {
        var options = Options()
        options.timeout = parsed.timeout
        if parsed.ignoreExit == true { options.ignoreExit = true }
        if let stream = parsed.scrutCase?.stream, stream != .stdout { options.scrutCase = ScrutCase(stream: stream) }
        if case .scrut(keepCRLF: true)? = parsed.dialect { options.crlfAsLF = false }
        return options
    }

    /// The number of the front matter's last line (its closing `---`), or 0.
    static func frontMatterEnd(_ source: SourceFile) -> Int {
        guard source.lines.first == "---" else { return 0 }
        return source.lines.dropFirst().firstIndex(of: "---").map { $0 + 1 } ?? 0
    }

    /// One ```scrut block, whose opening fence is the line `fence`, as a ```console block with
    /// what comes before it, each line under the fence's container prefix.
    static func render(_ block: SessionBlock, fence: String, conversion: ScrutLineConversion) throws(Diagnostic) -> String {
        var lines: [String] = []
        // Its `%` settings are in its options already.
        let comments = ScrutCaseLines.leading(block).map(\.content).filter {
            !$0.trimmingWhitespace.isEmpty && ScrutCaseLines.setting($0) == nil
        }
        if !comments.isEmpty { lines += ["<!--"] + comments + ["-->"] }
        // Each command of the preparation on its lines: a value's newline continues it.
        let preparation = (block.options.scrutCase?.preparation ?? []).flatMap { command in
            command.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { ($0.offset == 0 ? "$ " : "> ") + $0.element }
        }
        if !preparation.isEmpty { lines += ["<!-- transcript"] + preparation + ["-->"] }
        if (comments + preparation).contains(where: { $0.contains("-->") }) {
            throw Diagnostic(file: conversion.file, line: block.openingLine, column: 1,
                             message: "this block cannot be converted faithfully: a comment or variable of it holds '-->'",
                             help: "the HTML comment it would go in would end there; write it without '-->'")
        }
        let session = try MarkdownConversion.sessionLines(block, file: conversion.file) { line, _ throws(Diagnostic) in
            try conversion.convert(line)
        }
        let options = blockOptions(block.options).summary
        let rendered = MarkdownFormat().renderBlock(lines: session, options: options.isEmpty ? [] : [options], ending: "\n")
        lines += rendered.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let marker = block.delimiters.opening.first.map { String($0) } ?? "`"
        let (lead, rest) = (lead(of: fence, before: marker), continuation(of: fence, before: marker))
        return lines.enumerated().map { ($0.offset == 0 ? lead : rest) + $0.element + "\n" }.joined()
    }

    /// What stands before the first of `markers` on `line` (a container's prefix, indentation).
    static func lead(of line: String, before markers: String) -> String {
        String(line.prefix { !markers.contains($0) })
    }

    /// The prefix that continues the container of `line` on the lines after it: block quote
    /// markers kept, a list item's marker as spaces.
    static func continuation(of line: String, before markers: String) -> String {
        String(lead(of: line, before: markers).map { $0 == ">" ? ">" : " " })
    }
}
