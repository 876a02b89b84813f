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
    private let scanner: ExampleScanner?
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
    private var ws: Bool { options.isWhitespaceTolerant }
    private var unordered: Bool { options.isUnordered }

    private enum Annotation: String, CaseIterable { case re, glob, esc }

    /// A problem at `offset` characters into the line's text.
    private mutating func fail(_ line: ExpectedLine, _ offset: Int, _ message: String, help: String? = nil, notes: [String] = []) {
        diagnostics.append(Diagnostic(file: file, line: line.line, column: line.column + offset,
                                      message: message, help: help, notes: notes))
    }

    private static let noEOLSuffix = Array(" (no-eol)".utf8)
    private static let annotationSuffixes = Annotation.allCases.map { ($0, Array(" (\($0.rawValue))".utf8)) }

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

    private mutating func cachedRegex(_ source: String) throws(RegexError) -> Regex {
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
        var noEOL = false
        var annotation: Annotation?
        stripping: while true {
            // Every suffix is ASCII and starts with a space, so it ends a character boundary and
            // can be cut by bytes (Character-wise removal costs far more on long runs of lines).
            guard text.utf8.last == UInt8(ascii: ")") else { break }
            if !noEOL, Self.endsWith(text, Self.noEOLSuffix) {
                noEOL = true
                text = String(decoding: text.utf8.dropLast(Self.noEOLSuffix.count), as: UTF8.self)
                continue
            }
            if annotation == nil {
                for (candidate, suffix) in Self.annotationSuffixes where Self.endsWith(text, suffix) {
                    annotation = candidate
                    text = String(decoding: text.utf8.dropLast(suffix.count), as: UTF8.self)
                    continue stripping
                }
            }
            break
        }
        if !exact { text = text.trimmingTrailingBlanks(keepingEscaped: annotation == .re) }
        func pattern(_ body: LinePattern.Body, captures: [String] = [], reads: [String] = [], binds: Bool = false) -> LinePattern {
            LinePattern(source: line, body: body, noEOL: noEOL, captures: captures, reads: reads, bindsExamples: binds)
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
        case nil:
            return compileLiteral(text, line: line, noEOL: noEOL)
        }
    }

    // MARK: Literal lines with placeholders

    private enum Segment {
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
        var slots = LineSlots()
        var pieces: [TemplatePiece] = []
        var reads: [String] = []
        var captures: [String] = []
        var groups = 0
        var capturedInLine: [String: String] = [:]
        var hasPattern = false
        var binds = false

        func newGroup() -> String {
            groups += 1
            return "__t\(groups)"
        }
        func append(_ source: String) {
            if case .pattern(let previous)? = pieces.last {
                pieces[pieces.count - 1] = .pattern(previous + source)
            } else {
                pieces.append(.pattern(source))
            }
        }
        var learned: [(kind: String, example: [UInt8])] = []
        func literalSource(_ literal: String) {
            if scanner == nil && vocabulary.isEmpty {
                append(escapeLiteral(literal))
                return
            }
            let bytes = Array(literal.utf8)
            var tokens = (scanner?.tokens(in: bytes) ?? []).map { (range: $0.range, pattern: $0.pattern) }
            for known in vocabulary.tokens(in: bytes, avoiding: tokens.map(\.range)) {
                guard let named = library.pattern(named: known.kind) else { continue }
                tokens.append((known.range, named))
            }
            tokens.sort { $0.range.lowerBound < $1.range.lowerBound }
            var position = 0
            for token in tokens {
                append(escapeLiteral(String(decoding: bytes[position..<token.range.lowerBound], as: UTF8.self)))
                let regex = "(?:" + token.pattern.regex + ")"
                if ExampleBindings.identityKinds.contains(token.pattern.name) {
                    let group = newGroup()
                    let example = Array(bytes[token.range])
                    slots.examples.append(.init(kind: token.pattern.name, example: String(decoding: example, as: UTF8.self), group: group))
                    learned.append((token.pattern.name, example))
                    append("(?<\(group)>\(regex))")
                    binds = true
                } else {
                    append(regex)
                }
                hasPattern = true
                position = token.range.upperBound
            }
            append(escapeLiteral(String(decoding: bytes[position...], as: UTF8.self)))
        }
        defer { for item in learned { vocabulary.learn(kind: item.kind, example: item.example) } }

        /// `regex` with its group numbers raised past the groups before it in the line's pattern
        /// (and `opening` more that open just before it), so that `\1` still means its own group.
        func ownNumbers(_ regex: String, opening: Int) -> String {
            guard regex.utf8.contains(UInt8(ascii: "\\")) || regex.contains("(?") else { return regex }
            let before = pieces.reduce(0) { count, piece in
                if case .pattern(let text) = piece { return count + RegexGroups.captureCount(text) }
                return count
            }
            return RegexGroups.shiftingReferences(regex, by: before + opening)
        }

        for (offset, segment) in segments {
            switch segment {
            case .text(let literal):
                literalSource(literal)
            case .named(let named):
                append("(?:" + named.regex + ")")
                hasPattern = true
            case .inline(let regex):
                append("(?:" + ownNumbers(regex, opening: 0) + "\\E)")
                hasPattern = true
            case .capture(let variable, let inner):
                let group = newGroup()
                var innerSource = ""
                if case .named(let named) = inner { innerSource = named.regex }
                // `\E` ends a `\Q` the pattern left open (PCRE2 ignores it otherwise), so that
                // the placeholder's text stays its own pattern.
                if case .inline(let regex) = inner { innerSource = ownNumbers(regex, opening: 1) + "\\E" }
                append("(?<\(group)>(?:" + innerSource + "))")
                slots.captures.append(.init(variable: variable, group: group))
                captures.append(variable)
                capturedInLine[variable] = group
                hasPattern = true
            case .reference(let variable):
                hasPattern = true
                if unordered, capturedInCommand.contains(variable) || capturedEarlierInBlock.contains(variable)
                    || capturedInLine[variable] != nil {
                    fail(line, offset, "{{$\(variable)}} names a variable captured in the same unordered block",
                         help: "an unordered block may use only variables captured before it")
                    return nil
                }
                if let group = capturedInLine[variable] {
                    append("(?:\\k<\(group)>)")
                } else if known.contains(variable) || capturedInCommand.contains(variable) {
                    pieces.append(.variable(variable))
                    reads.append(variable)
                } else {
                    fail(line, offset, "variable \(variable) is not captured before this line",
                         help: "capture it earlier in the file with {{\(variable)=PATTERN}}")
                    return nil
                }
            }
        }
        capturedInCommand.formUnion(captures)

        if !hasPattern {
            let literal = segments.reduce(into: "") { text, item in
                if case .text(let part) = item.1 { text += part }
            }
            let bytes = Array(literal.utf8)
            return LinePattern(source: line, body: ws ? .collapsedLiteral(bytes.collapsingBlankRuns) : .literal(bytes),
                               noEOL: noEOL, captures: [], reads: [], bindsExamples: false)
        }
        let body: LinePattern.Body
        if reads.isEmpty {
            let source = pieces.reduce(into: "") { text, piece in
                if case .pattern(let part) = piece { text += part }
            }
            do {
                body = .regex(try cachedRegex(source), slots)
            } catch {
                fail(line, 0, "the line's pattern does not compile: \(error.message)", notes: ["pattern: \(source)"])
                return nil
            }
        } else {
            // Check now, with every value empty, that the pattern compiles.
            let probe = pieces.reduce(into: "") { text, piece in
                switch piece {
                case .pattern(let part): text += part
                case .variable: text += "(?:)"
                }
            }
            do {
                _ = try Regex(probe, options: .wholeLine, jit: false)
            } catch {
                fail(line, 0, "the line's pattern does not compile: \(error.message)", notes: ["pattern: \(probe)"])
                return nil
            }
            body = .template(pieces, slots)
        }
        return LinePattern(source: line, body: body, noEOL: noEOL, captures: captures, reads: reads, bindsExamples: binds)
    }

    /// Splits a literal line into text and placeholders, each with its character offset.
    private mutating func parsePlaceholders(_ text: String, line: ExpectedLine) -> [(Int, Segment)]? {
        let scan = PlaceholderScanner.scan(text)
        var segments: [(Int, Segment)] = []
        segments.reserveCapacity(scan.pieces.count)
        // In order, so that the first mistake on the line is the one reported.
        for piece in scan.pieces {
            switch piece {
            case .literal(let literal, let offset):
                segments.append((offset, .text(literal)))
            case .placeholder(_, let offset, let kind):
                guard let segment = meaning(of: kind, line: line) else { return nil }
                // A reference's column is its name's `$`, as before.
                if case .reference(_, let variableOffset) = kind {
                    segments.append((variableOffset - 1, segment))
                } else {
                    segments.append((offset, segment))
                }
            }
        }
        if let failure = scan.failure {
            fail(line, failure.offset, failure.message, help: failure.help)
            return nil
        }
        return segments
    }

    /// What a placeholder matches: its name looked up, its pattern checked.
    private mutating func meaning(of kind: PlaceholderScanner.Kind, line: ExpectedLine) -> Segment? {
        switch kind {
        case .named(let name, let nameOffset):
            return lookUp(name, line: line, offset: nameOffset).map { .named($0) }
        case .inline(let regex, let regexOffset):
            return validateInline(regex, line: line, offset: regexOffset) ? .inline(regex) : nil
        case .capture(let variable, _, let pattern):
            return meaning(of: pattern, line: line).map { .capture(variable: variable, $0) }
        case .reference(let variable, _):
            return .reference(variable: variable)
        }
    }

    private mutating func lookUp(_ name: String, line: ExpectedLine, offset: Int) -> NamedPattern? {
        if let named = library.pattern(named: name) { return named }
        let close = closestNames(to: name, among: library.names)
        fail(line, offset, "unknown pattern '\(name)'",
             help: close.isEmpty ? "named patterns are " + library.names.joined(separator: ", ") + "; write \\{{ for a literal {{"
                                 : "did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?")
        return nil
    }

    private mutating func validateInline(_ regex: String, line: ExpectedLine, offset: Int) -> Bool {
        do {
            _ = try Regex(regex, options: .utf, jit: false)
            return true
        } catch {
            fail(line, offset + error.characterOffset, "pattern does not compile: \(error.message)", help: "fix the PCRE2 pattern, or write \\{{ for a literal {{", notes: ["pattern: \(regex)"])
            return false
        }
    }

    // MARK: Escaping

    /// PCRE2 source matching `literal` exactly; under `ws` a run of spaces and tabs matches any
    /// run of one or more.
    private func escapeLiteral(_ literal: String) -> String {
        guard ws else { return Regex.escape(literal) }
        var out = ""
        var run = ""
        var inBlank = false
        for scalar in literal.unicodeScalars {
            if scalar == " " || scalar == "\t" {
                if !inBlank {
                    out += Regex.escape(run)
                    run = ""
                    out += "[ \\t]+"
                }
                inBlank = true
            } else {
                inBlank = false
                run.unicodeScalars.append(scalar)
            }
        }
        return out + Regex.escape(run)
    }

    /// `(glob)`: `*` any run, `?` one character, `\*` `\?` `\\` literal; other text literal.
    private func globToPCRE2(_ glob: String) -> String {
        var out = ""
        var literal = ""
        let chars = Array(glob)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "*" || chars[i + 1] == "?" || chars[i + 1] == "\\" {
                literal.append(chars[i + 1])
                i += 2
                continue
            }
            if c == "*" || c == "?" {
                out += escapeLiteral(literal)
                literal = ""
                out += c == "*" ? ".*" : "."
            } else {
                literal.append(c)
            }
            i += 1
        }
        return out + escapeLiteral(literal)
    }

    /// `(esc)`: `\t`, `\r`, `\xHH` and `\\`; everything else stands for its UTF-8 bytes.
    private mutating func decodeEscapes(_ text: String, line: ExpectedLine) -> [UInt8]? {
        let chars = Array(text)
        var bytes: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard chars[i] == "\\" else {
                bytes += Array(String(chars[i]).utf8)
                i += 1
                continue
            }
            let next = i + 1 < chars.count ? chars[i + 1] : nil
            switch next {
            case "t": bytes.append(0x09); i += 2
            case "r": bytes.append(0x0D); i += 2
            case "\\": bytes.append(0x5C); i += 2
            case "x":
                if i + 3 < chars.count, let high = chars[i + 2].hexDigitValue, let low = chars[i + 3].hexDigitValue {
                    bytes.append(UInt8(high * 16 + low))
                    i += 4
                } else {
                    fail(line, i, "\\x in an (esc) line needs two hex digits")
                    return nil
                }
            default:
                fail(line, i, "unknown escape in an (esc) line", help: "escapes are \\t, \\r, \\xHH and \\\\")
                return nil
            }
        }
        return bytes
    }
}

/// Up to three candidates nearest to `name` by edit distance, nearest first.
func closestNames(to name: String, among candidates: [String]) -> [String] {
    let limit = max(2, name.count / 3)
    let scored: [(name: String, distance: Int)] = candidates.map { (name: $0, distance: editDistance(name, $0)) }
    let near = scored.filter { $0.distance <= limit }
    let sorted = near.sorted { a, b in a.distance != b.distance ? a.distance < b.distance : a.name < b.name }
    return sorted.prefix(3).map { $0.name }
}

extension String {
    /// The string without trailing spaces and tabs; with `keepingEscaped`, a blank preceded by an
    /// odd number of backslashes (an escaped blank in a regex) is kept.
    func trimmingTrailingBlanks(keepingEscaped: Bool) -> String {
        // Most lines end in neither: no copy.
        guard let lastByte = utf8.last, lastByte == 0x20 || lastByte == 0x09 else { return self }
        var scalars = Array(unicodeScalars)
        while let last = scalars.last, last == " " || last == "\t" {
            if keepingEscaped {
                var backslashes = 0
                var index = scalars.count - 2
                while index >= 0, scalars[index] == "\\" {
                    backslashes += 1
                    index -= 1
                }
                if backslashes % 2 == 1 { break }
            }
            scalars.removeLast()
        }
        var out = ""
        out.unicodeScalars.append(contentsOf: scalars)
        return out
    }

    var trimmingTrailingBlanks: String { trimmingTrailingBlanks(keepingEscaped: false) }
}
