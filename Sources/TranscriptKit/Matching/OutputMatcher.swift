/// The expected output of one command, compiled: each expected line turned into a `LinePattern`
/// once, before anything runs, so that bad patterns are reported up front.
package struct OutputMatcher: Sendable {
    package let command: Command
    let options: Options
    /// The compiled expected lines (blank lines at the ends dropped unless `exact`).
    let patterns: [LinePattern]
    /// Variables this command captures, in order of their lines.
    package let capturedVariables: [String]
    let cache: RegexCache
    /// Whether a line is `...` or quantified: then the match is searched for, not made line by line.
    let searches: Bool
    /// The last expected line is blank and `(no-eol)`: a blank last output line stays to meet it.
    private let endsInBlankNoEOL: Bool
    /// Per pattern, whether it matches without reading or changing state (`LinePattern.isStateless`).
    let stateless: [Bool]
    /// `as-written`: per expected line, its cells when it is a row of a table (empty when the
    /// output shows no table).
    let rows: [TableRow?]
    /// Variables captured by one line of this command and read by a later one: the only captures
    /// that make the rest of a match depend on the path taken.
    let dependentVariables: [String]
    /// Whether a match may bind `examples=` values, which later command lines are rewritten with.
    package let bindsExamples: Bool
    /// `as-written` and no expected line: the page shows the command alone, so only its exit
    /// status is checked and what it printed is reported beside the result.
    package let showsNoOutput: Bool
    /// Example values written in earlier output that this command's text uses: each must be
    /// bound before the command can run as the page means it.
    package let exampleMentions: [ExampleMention]
    /// A cram `.t` command's expected lines (`LineDialect.cram`), compared as cram does; nil
    /// for the transcript's own rules.
    let cramLines: [CramLinePattern]?
    /// A scrut block's expectations (`LineDialect.scrut`); nil otherwise.
    let scrutLines: [ScrutLinePattern]?

    /// Compiles `command`'s expected lines under the block's effective `options`.
    /// `knownVariables` holds what earlier commands of `file` captured; this command's captures
    /// are added to it. `capturedEarlierInBlock` holds what earlier commands of the same block
    /// captured, which an `unordered` block may not use.
    package init(command: Command, options: Options, library: PatternLibrary, file: String,
                 knownVariables: inout Set<String>, capturedEarlierInBlock: Set<String> = []) throws(Diagnostics) {
        var vocabulary = ExampleVocabulary()
        try self.init(command: command, options: options, library: library, file: file, knownVariables: &knownVariables,
                      knownExamples: &vocabulary, capturedEarlierInBlock: capturedEarlierInBlock)
    }

    /// The same; `knownExamples` holds the identity example values of earlier commands of the
    /// file (`ExampleVocabulary`), and gains this command's.
    package init(command: Command, options: Options, library: PatternLibrary, file: String,
                 knownVariables: inout Set<String>, knownExamples: inout ExampleVocabulary,
                 capturedEarlierInBlock: Set<String> = []) throws(Diagnostics) {
        self.command = command
        self.options = options
        cache = library.cache
        if case .scrut? = options.dialect {
            scrutLines = try Self.scrutLines(command, file: file, cache: library.cache)
            cramLines = nil
            (patterns, rows, capturedVariables, dependentVariables, searches, stateless) = ([], [], [], [], false, [])
            (bindsExamples, showsNoOutput, exampleMentions, endsInBlankNoEOL) = (false, false, [], false)
            return
        }
        scrutLines = nil
        if case .cram(let indent)? = options.dialect {
            cramLines = try Self.cramLines(command, indent: indent, file: file, cache: library.cache)
            (patterns, rows, capturedVariables, dependentVariables, searches, stateless) = ([], [], [], [], false, [])
            (bindsExamples, showsNoOutput, exampleMentions, endsInBlankNoEOL) = (false, false, [], false)
            return
        }
        cramLines = nil
        exampleMentions = knownExamples.mentions(in: command.text)
        let lines = options.isExact ? command.expected
            : trimmingBlankEnds(command.expected) { $0.text.trimmingTrailingBlanks.isEmpty }
        var compiler = LineCompiler(options: options, library: library, file: file, known: knownVariables,
                                    capturedEarlierInBlock: capturedEarlierInBlock, vocabulary: knownExamples)
        var patterns: [LinePattern] = []
        for line in lines {
            if let pattern = compiler.compile(line) { patterns.append(pattern) }
        }
        knownExamples = compiler.vocabulary
        if !compiler.diagnostics.isEmpty { throw Diagnostics(compiler.diagnostics) }
        self.patterns = patterns
        let rows = options.isAsWritten && !options.isExact ? compiler.tableRows(lines) : []
        self.rows = rows
        var captured: [String] = []
        var dependent: [String] = []
        for pattern in patterns {
            for name in pattern.reads where captured.contains(name) && !dependent.contains(name) {
                dependent.append(name)
            }
            for name in pattern.captures where !captured.contains(name) { captured.append(name) }
        }
        capturedVariables = captured
        dependentVariables = dependent
        searches = patterns.contains { $0.isEllipsis || $0.quantifier != .one }
        endsInBlankNoEOL = patterns.last.map { last in
            guard last.noEOL, case .literal(let bytes) = last.body else { return false }
            return bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
        } ?? false
        stateless = patterns.indices.map { patterns[$0].isStateless && (rows.isEmpty || rows[$0]?.isStateless ?? true) }
        bindsExamples = patterns.contains { $0.bindsExamples }
        showsNoOutput = options.isAsWritten && patterns.isEmpty
        knownVariables.formUnion(captured)
    }

    /// Compares a command's actual output (raw bytes) with the expectation. On success the
    /// command's captures and example bindings are added to `bindings`; on failure, those of the
    /// lines the diff shows as matching. With `bounds`, a failure's diff stays within them
    /// (`DiffBounds`); without, it lists every line (what `update` rewrites from).
    package func match(_ output: [UInt8], bindings: inout Bindings, bounds: DiffBounds? = nil) -> MatchResult {
        if let cramLines { return Self.matchCram(cramLines, output, bounds: bounds) }
        if let scrutLines, case .scrut(let keepCRLF)? = options.dialect {
            return Self.matchScrut(scrutLines, output, keepCRLF: keepCRLF, bounds: bounds)
        }
        let output = options.crlfAsLF == true ? output.replacingBytes([0x0D, 0x0A], with: [0x0A]) : output
        let actual = ActualLines(output, exact: options.isExact, keepingBlankNoEOL: endsInBlankNoEOL)
        if showsNoOutput {
            return unshown(actual, bounds: bounds)
        }
        let initial = MatchState(bindings)
        var cells = rows.isEmpty ? [] : TableLayout.cells(of: actual)
        if options.isUnordered {
            return matchUnordered(actual, cells, initial: initial, bindings: &bindings, bounds: bounds)
        }
        if let final = search(actual, cells, initial: initial) {
            bindings.commit(final)
            return MatchResult(passed: true, diff: [])
        }
        // The diff aligns at most the window's lines: a long output's first and last ones.
        let shown = bounds.map { actual.windowed(keeping: $0.window) } ?? actual
        if shown.gap > 0, !rows.isEmpty { cells = TableLayout.cells(of: shown) }
        let steps = Diff.align(expected: patterns.count, actual: shown.count,
                               isEllipsis: { patterns[$0].isEllipsis },
                               equal: { i, j in
                                   if case .matched = compare(i, j, shown, cells, state: initial, permissive: true) {
                                       return true
                                   }
                                   return false
                               })
        let (diff, message, final) = replay(steps, shown, cells, initial: initial)
        bindings.commit(final)
        let result = failure(diff, message: message)
        return bounds.map { $0.bounded(result, gap: shown.gap, head: shown.head) } ?? result
    }

    /// Replays a failed match's alignment in order with real state, so captures feed later lines
    /// and example bindings are checked: the diff, the first broken binding, the final state.
    private func replay(_ steps: [Diff.Step], _ actual: ActualLines, _ cells: [[ActualLine]?],
                        initial: MatchState) -> (diff: [DiffLine], message: String?, state: MatchState) {
        var state = initial
        var diff: [DiffLine] = []
        var message: String?
        var changed = ChangedRows()
        for step in steps {
            if case .same = step { state = bindingChangedRows(&changed, actual, cells, state: state) }
            switch step {
            case .same(let i, let j):
                switch compare(i, j, actual, cells, state: state) {
                case .matched(let next):
                    state = next
                    diff.append(same(i, actual.lineIndex(j)))
                case .mismatch:
                    changed.expected.append(i)
                    changed.actual.append(j)
                    diff.append(missing(i))
                    diff.append(extra(actual, j))
                case .conflict(let text):
                    message = message ?? text
                    diff.append(missing(i))
                    diff.append(extra(actual, j))
                }
            case .ellipsis(let i):
                diff.append(same(i, nil))
            case .expected(let i):
                changed.expected.append(i)
                diff.append(missing(i))
            case .actual(let j):
                changed.actual.append(j)
                diff.append(extra(actual, j))
            }
        }
        state = bindingChangedRows(&changed, actual, cells, state: state)
        return (diff, message, state)
    }

    // MARK: Unordered

    private func matchUnordered(_ actual: ActualLines, _ cells: [[ActualLine]?], initial: MatchState,
                                bindings: inout Bindings, bounds: DiffBounds?) -> MatchResult {
        let edges = candidates(actual, cells, initial: initial)
        let pairs = BipartiteMatching.maximum(edges: edges, rightCount: actual.count)
        var state = initial
        var diff: [DiffLine] = []
        var message: String?
        var paired = [Bool](repeating: false, count: actual.count)
        var passed = patterns.count == actual.count
        for (i, pair) in pairs.enumerated() {
            guard let j = pair else {
                diff.append(missing(i))
                passed = false
                continue
            }
            switch compare(i, j, actual, cells, state: state) {
            case .matched(let next):
                state = next
                paired[j] = true
                diff.append(same(i, actual.lineIndex(j)))
            case .mismatch:
                passed = false
                diff.append(missing(i))
            case .conflict(let text):
                passed = false
                message = message ?? text
                diff.append(missing(i))
            }
        }
        for j in actual.indices where !paired[j] {
            diff.append(extra(actual, j))
        }
        bindings.commit(state)
        if passed { return MatchResult(passed: true, diff: []) }
        let result = failure(diff, message: message)
        return bounds.map { $0.bounded(result, gap: 0, head: 0) } ?? result
    }

    /// Per expected line, the actual lines it can pair with, best first.
    private func candidates(_ actual: ActualLines, _ cells: [[ActualLine]?], initial: MatchState) -> [[Int]] {
        var byBytes: [ActualLine: [Int]] = [:]
        var byCollapsed: [ActualLine: [Int]] = [:]
        if patterns.contains(where: { if case .literal = $0.body { return true } else { return false } }) {
            for (j, line) in actual.enumerated() { byBytes[line, default: []].append(j) }
        }
        if patterns.contains(where: { if case .collapsedLiteral = $0.body { return true } else { return false } }) {
            for (j, line) in actual.enumerated() {
                byCollapsed[ActualLine(bytes: line.bytes.collapsingBlankRuns[...], noEOL: line.noEOL), default: []].append(j)
            }
        }
        // Lines written alike share one candidate list (and its storage), so a long block of
        // similar lines costs one pass over the output per distinct line, not per line.
        var byPattern: [String: [Int]] = [:]
        return patterns.enumerated().map { i, pattern in
            switch pattern.body {
            case .literal(let bytes) where rows.isEmpty || rows[i] == nil:
                return byBytes[ActualLine(bytes: bytes[...], noEOL: pattern.noEOL)] ?? []
            case .collapsedLiteral(let bytes) where rows.isEmpty || rows[i] == nil:
                return byCollapsed[ActualLine(bytes: bytes[...], noEOL: pattern.noEOL)] ?? []
            default:
                if let known = byPattern[pattern.source.text] { return known }
                var candidates = actual.indices.filter { j in
                    if case .matched = compare(i, j, actual, cells, state: initial) { return true }
                    return false
                }
                // An actual line that reads exactly as written comes first: with `examples=`, the
                // author's `first_box` pairs with the engine's `first_box`, not with `second_box`,
                // which the example matches too (the matching stays maximum either way).
                let written = withoutTrailingBlanks(Array(pattern.source.text.utf8)[...])
                if candidates.count > 1,
                   let exact = candidates.firstIndex(where: { withoutTrailingBlanks(actual[$0].bytes).elementsEqual(written) }) {
                    candidates.insert(candidates.remove(at: exact), at: 0)
                }
                byPattern[pattern.source.text] = candidates
                return candidates
            }
        }
    }

    // MARK: Diff lines

    private func same(_ i: Int, _ j: Int?) -> DiffLine {
        DiffLine(kind: .same, text: patterns[i].source.text, line: patterns[i].source.line, expectedIndex: i, actualIndex: j,
                 isEllipsis: patterns[i].isEllipsis)
    }

    private func missing(_ i: Int) -> DiffLine {
        DiffLine(kind: .expected, text: patterns[i].source.text, line: patterns[i].source.line, expectedIndex: i)
    }

    private func extra(_ actual: ActualLines, _ j: Int) -> DiffLine {
        DiffLine(kind: .actual, text: actual[j].displayText, actualIndex: actual.lineIndex(j))
    }

    private func failure(_ diff: [DiffLine], message: String?) -> MatchResult {
        var line: Int?
        if let first = diff.firstIndex(where: { $0.kind != .same }) {
            line = diff[first...].first(where: { $0.line != nil })?.line
                ?? diff[..<first].last(where: { $0.line != nil })?.line
        }
        if line == nil {
            line = patterns.first?.source.line ?? command.lastLine
        }
        let hasDifference = diff.contains { $0.kind != .same }
        return MatchResult(passed: false, diff: diff, firstMismatchLine: line,
                           message: message ?? (hasDifference ? nil : "the output does not match"))
    }
}

/// `bytes` without trailing spaces and tabs.
private func withoutTrailingBlanks(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var end = bytes.endIndex
    while end > bytes.startIndex, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    return bytes[..<end]
}
