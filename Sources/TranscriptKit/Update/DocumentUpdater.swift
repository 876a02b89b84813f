/// One command's expected output rewritten: the source lines it replaces and what replaces them.
package struct CommandChange: Sendable {
    package var blockIndex: Int
    package var commandIndex: Int
    /// The line of the command's `$`.
    package var commandLine: Int
    package var commandText: String
    /// The source lines replaced (1-based, half-open); empty for a pure insertion before `lines.lowerBound`.
    package var lines: Range<Int>
    /// The new source lines, container prefixes included, without line endings.
    package var replacement: [String]
    /// What the command's expected lines (contents, `[N]` excluded) must parse back to.
    package var expectedContents: [String]
    /// What its `[N]` must parse back to.
    package var expectedStatus: Int32?
}

/// Why a failing command was left as it is.
package struct UpdateNote: Sendable, Hashable {
    package var line: Int
    package var message: String
}

/// Rewrites a document from its outcome: for each failing command, the expected output becomes
/// the actual output, keeping every byte it does not need to change and every expected line
/// that still matches as its author wrote it.
package struct DocumentUpdater {
    package let transcript: Transcript
    /// Per block, the effective options.
    package let options: [Options]
    package let library: PatternLibrary
    /// `--update-divergent`: rewrite blocks marked `diverges=` too.
    package let includeDivergent: Bool
    /// Per command line, the variables captured before that command ran (to keep `{{$VAR}}`).
    package let variables: [Int: [String: String]]

    /// The file's `examples=` bindings, actual value → example: a line written anew shows the
    /// author's example where the engine printed the value bound to it, so that it reads back
    /// as the same binding.
    package let examplesByActual: [String: String]

    package init(transcript: Transcript, options: [Options], library: PatternLibrary, includeDivergent: Bool = false,
                 variables: [Int: [String: String]] = [:], examplesByActual: [String: String] = [:]) {
        self.transcript = transcript
        self.options = options
        self.library = library
        self.includeDivergent = includeDivergent
        self.variables = variables
        self.examplesByActual = examplesByActual
    }

    /// The updater for a file that ran from `plan` and came to `outcome`: the variables in force
    /// before each command and the examples bound at the end come from the outcome.
    package init(plan: FilePlan, outcome: FileOutcome, includeDivergent: Bool = false) {
        var variables: [Int: [String: String]] = [:]
        for block in outcome.blocks {
            for command in block.commands {
                if let before = command.bindingsBefore { variables[command.line] = before.variables }
            }
        }
        self.init(transcript: plan.transcript, options: plan.options, library: plan.library, includeDivergent: includeDivergent,
                  variables: variables, examplesByActual: outcome.bindings.examples.examplesByActual)
    }

    /// `text` with each bound actual value (a whole word; a UUID as a whole) written as its example.
    func writingExamples(_ text: String) -> String {
        guard !examplesByActual.isEmpty, !text.hasSuffix(" (esc)") else { return text }
        let uuids = examplesByActual.filter { $0.key.contains("-") }.map { (Array($0.key.utf8), Array($0.value.utf8)) }
        // A word never holds the `-` of a UUID, so the UUIDs' entries are looked up only above.
        return ExampleBindings.replacingTokens(in: text, uuids: uuids) { examplesByActual[$0] }
    }

    /// The changes `outcome` calls for, and notes on failing commands that cannot be rewritten.
    package func changes(for outcome: FileOutcome) -> (changes: [CommandChange], notes: [UpdateNote]) {
        var changes: [CommandChange] = []
        var notes: [UpdateNote] = []
        for blockOutcome in outcome.blocks {
            switch blockOutcome.status {
            case .failed: break
            case .diverged where includeDivergent: break
            default: continue
            }
            guard blockOutcome.index < transcript.blocks.count else { continue }
            let block = transcript.blocks[blockOutcome.index]
            for commandOutcome in blockOutcome.commands where commandOutcome.status == .failed {
                guard commandOutcome.index < block.commands.count, let result = commandOutcome.result else { continue }
                if result.timedOut {
                    notes.append(UpdateNote(line: commandOutcome.line, message: "timed out; its output was not written"))
                    continue
                }
                if result.cutBytes > 0 {
                    notes.append(UpdateNote(line: commandOutcome.line, message: "its output was cut; it was not written"))
                    continue
                }
                if let change = change(block: block, blockIndex: blockOutcome.index, commandIndex: commandOutcome.index,
                                       outcome: commandOutcome, result: result) {
                    changes.append(change)
                }
            }
        }
        return (changes, notes)
    }

    /// The change for one failing command, or nil when its lines would stay as they are.
    func change(block: SessionBlock, blockIndex: Int, commandIndex: Int, outcome: CommandOutcome,
                result: CommandResult) -> CommandChange? {
        let command = block.commands[commandIndex]
        let options = self.options[blockIndex]
        switch options.dialect {
        case .cram?:
            return cramChange(block: block, blockIndex: blockIndex, commandIndex: commandIndex, outcome: outcome, result: result,
                              blankKeepsPrefix: true, readable: Self.cramReadable)
        case .scrut(let keepCRLF)?:
            return cramChange(block: block, blockIndex: blockIndex, commandIndex: commandIndex, outcome: outcome, result: result,
                              blankKeepsPrefix: false, readable: Self.scrutReadable,
                              spelled: Self.scrutSpelling(result.output, keepCRLF: keepCRLF))
        case nil:
            break
        }
        let context = LineContext(rules: lineRules(of: block), exact: options.isExact)
        // The lines the matcher compares: blank lines at the ends do not count unless `exact`.
        let compared = options.isExact ? command.expected
            : trimmingBlankEnds(command.expected) { $0.text.trimmingTrailingBlanks.isEmpty }
        var core = newLines(command: command, compared: compared, options: options, context: context,
                            outcome: outcome, result: result)
        core = core.map { line in
            if case .written(let text) = line { return .written(writingExamples(text)) }
            return line
        }
        // The first line after the command must not read as a `> ` continuation.
        if case .written(let text)? = core.first, SessionCommandParser.promptContinuation(text) != nil,
           let firstActual = ActualLine.split(result.output, exact: options.isExact).first {
            var first = context
            first.followsCommand = true
            core[0] = .written(LineRewriter.expectedLine(for: Array(firstActual.bytes), noEOL: firstActual.noEOL, context: first))
        }
        // The exit status to write.
        var status: Int32? = result.exitStatus == 0 ? nil : result.exitStatus
        if options.ignoresExit && command.exitStatus == nil { status = nil }
        let rebuilt = region(of: command, in: block, core: core, compared: Set(compared.map(\.line)),
                             insertion: compared.first?.line, status: status)
        return narrowed(command: command, blockIndex: blockIndex, commandIndex: commandIndex,
                        replacement: rebuilt.replacement, contents: rebuilt.contents, status: status)
    }

    /// The new expected lines of a failing command: source lines kept as written, or new content.
    private func newLines(command: Command, compared: [ExpectedLine], options: Options, context: LineContext,
                          outcome: CommandOutcome, result: CommandResult) -> [NewLine] {
        guard let match = outcome.match, !match.passed else { return compared.map { .kept($0.line) } }
        let actual = ActualLine.split(result.output, exact: options.isExact)
        let diff = match.diff
        if diff.isEmpty || !diff.contains(where: { $0.kind != .same }) {
            // Nothing to align against (e.g. a broken binding): write the output as it is.
            return actual.map { .written(LineRewriter.expectedLine(for: Array($0.bytes), noEOL: $0.noEOL, context: context)) }
        }
        let known = variables[command.line] ?? [:]
        func rewrite(missing: [DiffLine], extra: [ActualLine]) -> [NewLine] {
            extra.enumerated().map { k, line in
                if k < missing.count, let kept = LineRewriter.keepingPlaceholders(
                    expected: missing[k].text, actual: Array(line.bytes), noEOL: line.noEOL, library: library,
                    variables: known, context: context) {
                    return .written(kept)
                }
                return .written(LineRewriter.expectedLine(for: Array(line.bytes), noEOL: line.noEOL, context: context))
            }
        }
        func lines(_ entries: [DiffLine]) -> [ActualLine] {
            entries.compactMap { entry in entry.actualIndex.flatMap { $0 < actual.count ? actual[$0] : nil } }
        }
        guard options.isUnordered else { return rewriteOrdered(diff, actual: actual, rewrite: rewrite, lines: lines) }
        return diff.filter { $0.kind == .same }.compactMap { $0.line.map(NewLine.kept) }
            + rewrite(missing: diff.filter { $0.kind == .expected }, extra: lines(diff.filter { $0.kind == .actual }))
    }

    /// The command's output region rebuilt: `core` in place of the compared lines, other source
    /// lines (blank ends) kept, and the exit status line; with what each line reads as.
    func region(of command: Command, in block: SessionBlock, core: [NewLine], compared: Set<Int>, insertion first: Int?,
                status: Int32?, blankKeepsPrefix: Bool = false) -> (replacement: [String], contents: [String]) {
        let source = transcript.source
        let prefix = block.lines.first { $0.line == command.line }?.prefix ?? ""
        let blankPrefix = blankKeepsPrefix ? prefix : prefix.trimmingTrailingBlanks
        let contentByLine = Dictionary(block.lines.map { ($0.line, $0.content) }, uniquingKeysWith: { first, _ in first })
        let region = Array(command.outputLines)
        let insertion = first ?? command.exitStatus?.line ?? region.first
        var replacement: [String] = []
        var contents: [String] = []
        func emitCore() {
            for item in core {
                switch item {
                case .kept(let line):
                    replacement.append(source.line(line))
                    contents.append(contentByLine[line] ?? "")
                case .written(let text):
                    replacement.append(text.isEmpty ? blankPrefix : prefix + text)
                    contents.append(text)
                }
            }
            if command.exitStatus == nil, let status {
                replacement.append(prefix + LineRewriter.exitStatusLine(status))
            }
        }
        var emitted = false
        for line in region {
            if line == insertion, !emitted {
                emitCore()
                emitted = true
            }
            if line == command.exitStatus?.line {
                if let status {
                    let statusPrefix = block.lines.first { $0.line == line }?.prefix ?? prefix
                    let written = command.exitStatus?.status
                    replacement.append(status == written ? source.line(line) : statusPrefix + LineRewriter.exitStatusLine(status))
                }
                continue
            }
            if compared.contains(line) { continue }
            replacement.append(source.line(line))
            contents.append(contentByLine[line] ?? "")
        }
        if !emitted { emitCore() }
        return (replacement, contents)
    }

    /// The change that replaces only the lines that differ, so diffs and the prompt show just
    /// those; nil when nothing differs.
    func narrowed(command: Command, blockIndex: Int, commandIndex: Int, replacement all: [String], contents: [String],
                          status: Int32?) -> CommandChange? {
        let original = command.outputLines.map { transcript.source.line($0) }
        guard all != original else { return nil }
        var low = 0
        while low < original.count, low < all.count, original[low] == all[low] { low += 1 }
        var high = 0
        while high < original.count - low, high < all.count - low,
              original[original.count - 1 - high] == all[all.count - 1 - high] { high += 1 }
        let start = command.outputLines.lowerBound + low
        return CommandChange(blockIndex: blockIndex, commandIndex: commandIndex, commandLine: command.line,
                             commandText: command.text, lines: start..<(command.outputLines.upperBound - high),
                             replacement: Array(all[low..<(all.count - high)]),
                             expectedContents: contents, expectedStatus: status)
    }

    /// A line of a command's new expected output: a source line kept as written, or new content.
    enum NewLine { case kept(Int), written(String) }

    /// The new expected lines of an ordered block from the diff: matching lines kept, each run
    /// of differing lines rewritten. The lines a lone `...` absorbed are known, and expected lines
    /// right after (or before) it that no longer match take the last (or first) of them, so
    /// that `...` does not swallow what the author spelled out.
    func rewriteOrdered(_ diff: [DiffLine], actual: [ActualLine], rewrite: ([DiffLine], [ActualLine]) -> [NewLine],
                        lines: ([DiffLine]) -> [ActualLine]) -> [NewLine] {
        let isEllipsis = { (entry: DiffLine) in entry.kind == .same && entry.isEllipsis }
        let ellipses = diff.filter(isEllipsis).count
        let consumed = diff.filter { ($0.kind == .same && !isEllipsis($0)) || $0.kind == .actual }.count
        var absorbed = ellipses == 1 ? max(0, actual.count - consumed) : 0
        var j = 0
        var core: [NewLine] = []
        var missing: [DiffLine] = []
        var extra: [ActualLine] = []
        var stolenAfter: [ActualLine] = []
        for (index, entry) in diff.enumerated() {
            switch entry.kind {
            case .same:
                if isEllipsis(entry), absorbed > 0 {
                    // Missing lines just before `...` take its first lines; those just after, its last.
                    let before = min(missing.count - min(missing.count, extra.count), absorbed)
                    extra += actual[j..<(j + before)]
                    var after = 0
                    var k = index + 1
                    var missingAfter = 0
                    var extraAfter = 0
                    while k < diff.count, diff[k].kind != .same {
                        if diff[k].kind == .expected { missingAfter += 1 } else { extraAfter += 1 }
                        k += 1
                    }
                    after = min(max(0, missingAfter - extraAfter), absorbed - before)
                    stolenAfter = Array(actual[(j + absorbed - after)..<(j + absorbed)])
                    j += absorbed
                    absorbed = 0
                }
                core += rewrite(missing, extra)
                missing = []
                extra = stolenAfter
                stolenAfter = []
                if let line = entry.line { core.append(.kept(line)) }
                if !isEllipsis(entry) { j += 1 }
            case .expected:
                missing.append(entry)
            case .actual:
                extra += lines([entry])
                j += 1
            case .omitted:
                break  // update matches without bounds: its diffs leave nothing out
            }
        }
        core += rewrite(missing, extra)
        return core
    }

    /// What a content line of `block` may not look like, from the document's format.
    func lineRules(of block: SessionBlock) -> any ContentLineRules {
        DocumentFormats.format(for: transcript.source).contentLineRules(for: block)
    }

    /// The document with `changes` applied; every line ending and every other byte kept.
    package static func apply(_ changes: [CommandChange], to source: SourceFile) -> String {
        var lines = source.lines
        var endings = source.endings
        let ending = endings.first { $0 == "\r\n" } != nil && endings.first { $0 == "\n" } == nil ? "\r\n"
            : (endings.first { !$0.isEmpty } ?? "\n")
        for change in changes.sorted(by: { $0.lines.lowerBound > $1.lines.lowerBound }) {
            let low = change.lines.lowerBound - 1
            let high = change.lines.upperBound - 1
            // New lines take the ending of the line before them (the command's, or the output's).
            let neighbour = low > 0 && !endings[low - 1].isEmpty ? endings[low - 1] : ending
            let newEndings = change.replacement.indices.map { index -> String in
                low + index < high && !endings[low + index].isEmpty ? endings[low + index] : neighbour
            }
            lines.replaceSubrange(low..<high, with: change.replacement)
            endings.replaceSubrange(low..<high, with: newEndings)
        }
        var out = ""
        for (line, lineEnding) in zip(lines, endings) {
            out += line
            out += lineEnding
        }
        return out
    }

    /// Checks that `text`, the updated document, parses and reads each change back as meant.
    /// Returns a problem, or nil.
    package func verify(_ text: String, changes: [CommandChange]) -> String? {
        let source = SourceFile(path: transcript.source.path, absolutePath: transcript.source.absolutePath, text: text)
        let parsed: Transcript
        do {
            parsed = try (transcript.format ?? DocumentFormats.format(for: source)).parse(source)
        } catch {
            return "the updated document does not parse: " + (error.items.first?.description ?? "")
        }
        guard parsed.blocks.count == transcript.blocks.count else {
            return "the updated document has \(parsed.blocks.count) session blocks, not \(transcript.blocks.count)"
        }
        for change in changes {
            let block = parsed.blocks[change.blockIndex]
            guard change.commandIndex < block.commands.count,
                  block.commands.count == transcript.blocks[change.blockIndex].commands.count else {
                return "line \(change.commandLine): the update would change the block's commands"
            }
            let command = block.commands[change.commandIndex]
            if command.expected.map(\.text) != change.expectedContents || command.exitStatus?.status != change.expectedStatus {
                return "line \(change.commandLine): the updated output would not read back as written"
            }
        }
        return nil
    }
}
