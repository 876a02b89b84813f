import PCRE2

/// Turns a command's expected lines into `LinePattern`s (FORMAT.md sections 3 to 5), collecting
/// every problem as a diagnostic that points at the offending character.
struct LineCompiler {
    let options: Options
    let library: PatternLibrary
    let file: String
    /// Variables captured by earlier commands of the file.
    let known: Set<String>
    /// Variables captured by earlier commands of the same block (forbidden in `unordered`).
    let capturedEarlierInBlock: Set<String>
    /// Variables captured by earlier lines of this command.
    private(set) var capturedInCommand: Set<String> = []
    private(set) var diagnostics: [Diagnostic] = []
    let scanner: ExampleScanner?
    /// Identity example values of earlier lines of the file, which stand for their bound values
    /// in this line too (`ExampleVocabulary`); this command's are added as its lines compile.
    private(set) var vocabulary: ExampleVocabulary

    init(options: Options, library: PatternLibrary, file: String, known: Set<String>, capturedEarlierInBlock: Set<String>,
         vocabulary: ExampleVocabulary = ExampleVocabulary()) {
        self.vocabulary = vocabulary
        self.options = options
        self.library = library
        self.file = file
        self.known = known
        self.capturedEarlierInBlock = capturedEarlierInBlock
        let kinds = options.examples ?? []
        scanner = kinds.isEmpty ? nil : ExampleScanner(kinds: kinds, library: library)
    }

    private var exact: Bool { options.isExact }
    var ws: Bool { options.isWhitespaceTolerant }
    var unordered: Bool { options.isUnordered }

    private enum Annotation: String, CaseIterable { case re, glob, esc, equal }

    /// A problem at `offset` characters into the line's text.
    mutating func fail(_ line: ExpectedLine, _ offset: Int, _ message: String, help: String? = nil, notes: [String] = []) {
        diagnostics.append(Diagnostic(file: file, line: line.line, column: line.column + offset,
                                      message: message, help: help, notes: notes))
    }

    private static let noEOLSuffix = Array(" (no-eol)".utf8)
    private static let anyEOLSuffix = Array(" (any-eol)".utf8)
    /// Each annotation, alone and with a quantifier (`(re*)`, `(equal+)`, `(glob?)`).
    private static let annotationSuffixes: [(Annotation, LineQuantifier, [UInt8])] = Annotation.allCases.flatMap { kind in
        [("", LineQuantifier.one), ("?", .optional), ("*", .any), ("+", .some)].map { mark, quantifier in
            (kind, quantifier, Array(" (\(kind.rawValue)\(mark))".utf8))
        }
    }

    /// Every annotation a Markdown line can end with, each after its space: a line of text that
    /// ends so needs `(equal)` to be read as text.
    static let trailingAnnotations = annotationSuffixes.map { String(decoding: $0.2, as: UTF8.self) } + [" (no-eol)", " (any-eol)"]

    /// Whether `text` ends with the ASCII `suffix` as `hasSuffix` sees it (by characters): compared
    /// by bytes, and by characters only after a non-ASCII byte, which might join the space.
    private static func endsWith(_ text: String, _ suffix: [UInt8]) -> Bool {
        let bytewise = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard bytes.count >= suffix.count else { return false }
            let start = bytes.count - suffix.count
            for offset in 0..<suffix.count where bytes[start + offset] != suffix[offset] { return false }
            // A non-ASCII byte before the space might join it into one character: ask by characters.
            return start > 0 && bytes[start - 1] >= 0x80 ? nil : true
        }
        if let bytewise, let answer = bytewise { return answer }
        return text.hasSuffix(String(decoding: suffix, as: UTF8.self))
    }

    /// The regex compiled for the previous line, when it came from the same source: long runs of
    /// alike lines skip the cache's lock and hashing.
    private var lastRegex: (source: String, regex: Regex)?

    mutating func cachedRegex(_ source: String) throws(RegexError) -> Regex {
        if let lastRegex, lastRegex.source == source { return lastRegex.regex }
        let regex = try library.cache.regex(source)
        lastRegex = (source, regex)
        return regex
    }

    /// Compiles one line; nil when it has an error (recorded in `diagnostics`).
    mutating func compile(_ line: ExpectedLine) -> LinePattern? {
        var text = line.text
        if !exact { text = text.trimmingTrailingBlanks }
        if text == "..." {
            if unordered {
                fail(line, 0, "'...' cannot be used in an unordered block",
                     help: "list every line of the output, or remove the unordered option")
                return nil
            }
            return LinePattern(source: line, body: .ellipsis, noEOL: false, captures: [], reads: [], bindsExamples: false)
        }
        let ending = Self.annotations(of: &text)
        let (annotation, quantifier, noEOL, anyEOL) = (ending.annotation, ending.quantifier, ending.noEOL, ending.anyEOL)
        if quantifier != .one, unordered {
            fail(line, 0, "a quantified line cannot be used in an unordered block",
                 help: "list every line of the output, or remove the unordered option")
            return nil
        }
        if !exact { text = text.trimmingTrailingBlanks(keepingEscaped: annotation == .re) }
        func pattern(_ body: LinePattern.Body, captures: [String] = [], reads: [String] = [], binds: Bool = false) -> LinePattern {
            LinePattern(source: line, body: body, noEOL: noEOL, captures: captures, reads: reads, bindsExamples: binds,
                        quantifier: quantifier, anyEOL: anyEOL)
        }
        switch annotation {
        case .re:
            do {
                return pattern(.regex(try cachedRegex(text), LineSlots()))
            } catch {
                fail(line, error.characterOffset, "pattern does not compile: \(error.message)", help: "fix the PCRE2 pattern, or drop (re) to compare the line literally", notes: ["pattern: \(text)"])
                return nil
            }
        case .glob:
            let source = globToPCRE2(text)
            do {
                return pattern(.regex(try cachedRegex(source), LineSlots()))
            } catch {
                fail(line, 0, "glob does not compile: \(error.message)")
                return nil
            }
        case .esc:
            guard var bytes = decodeEscapes(text, line: line) else { return nil }
            if !exact { bytes.trimTrailingBlanks() }
            return pattern(.literal(bytes))
        case .equal:
            // The text as it is: no placeholder, no further annotation.
            let bytes = Array(text.utf8)
            return pattern(ws ? .collapsedLiteral(bytes.collapsingBlankRuns) : .literal(bytes))
        case nil:
            var literal = compileLiteral(text, line: line, noEOL: noEOL)
            literal?.anyEOL = anyEOL
            return literal
        }
    }

    /// What a line's trailing annotations say.
    private struct Ending {
        var annotation: Annotation?
        var quantifier = LineQuantifier.one
        var noEOL = false
        var anyEOL = false
    }

    /// Takes the trailing annotations off `text`: a kind (perhaps quantified) and a newline one,
    /// in either order, except that what stands before `(equal)` is text.
    private static func annotations(of text: inout String) -> Ending {
        var ending = Ending()
        stripping: while true {
            // Every suffix is ASCII and starts with a space, so it ends a character boundary and
            // can be cut by bytes (Character-wise removal costs far more on long runs of lines).
            guard text.utf8.last == UInt8(ascii: ")") else { break }
            if !ending.noEOL, !ending.anyEOL {
                for (suffix, any) in [(noEOLSuffix, false), (anyEOLSuffix, true)] where endsWith(text, suffix) {
                    if any { ending.anyEOL = true } else { ending.noEOL = true }
                    text = String(decoding: text.utf8.dropLast(suffix.count), as: UTF8.self)
                    continue stripping
                }
            }
            if ending.annotation == nil {
                for (candidate, mark, suffix) in annotationSuffixes where endsWith(text, suffix) {
                    ending.annotation = candidate
                    ending.quantifier = mark
                    text = String(decoding: text.utf8.dropLast(suffix.count), as: UTF8.self)
                    // `(equal)`: what stands before it is text, a `(no-eol)` too.
                    if candidate == .equal { break stripping }
                    continue stripping
                }
            }
            break
        }
        return ending
    }

    // MARK: Literal lines with placeholders

    enum Segment {
        case text(String)
        case named(NamedPattern)
        /// An inline PCRE2 pattern.
        case inline(String)
        indirect case capture(variable: String, Segment)
        case reference(variable: String)
    }

    private mutating func compileLiteral(_ text: String, line: ExpectedLine, noEOL: Bool) -> LinePattern? {
        if scanner == nil, vocabulary.isEmpty, !text.utf8.contains(UInt8(ascii: "{")) {
            // No placeholder and nothing to scan for: the common plain line, as bytes.
            let bytes = Array(text.utf8)
            return LinePattern(source: line, body: ws ? .collapsedLiteral(bytes.collapsingBlankRuns) : .literal(bytes),
                               noEOL: noEOL, captures: [], reads: [], bindsExamples: false)
        }
        guard let segments = parsePlaceholders(text, line: line) else { return nil }
        var template = TemplateBuilder()
        // Examples met on the line stand for their bound values in later lines, even after an error.
        defer { for item in template.learned { vocabulary.learn(kind: item.kind, example: item.example, line: line.line) } }
        for (offset, segment) in segments {
            guard append(segment, at: offset, to: &template, line: line) else { return nil }
        }
        capturedInCommand.formUnion(template.captures)
        return pattern(of: template, segments: segments, line: line, noEOL: noEOL)
    }
}
