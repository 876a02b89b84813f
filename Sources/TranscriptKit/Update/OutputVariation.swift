import PCRE2

/// How two runs of one recorded command differ, line by line, and what would match both: the
/// values of one kind that changed (a number, a hex ID, a time) are certain; a changed word or
/// a changed number of lines gets a suggestion only.
struct OutputVariation {
    /// One output line that differs between the runs.
    struct Finding {
        /// Its index among the command's output lines.
        var line: Int
        /// The two actual lines, with the built-in variables' values shown as `{{$NAME}}`.
        var first: String
        var second: String
        /// Tokens in the first run's line that would match both runs.
        var tokens: [Generalizer.Token]
        /// Whether the tokens are values of one kind on both sides, so they can be written.
        var certain: Bool
    }

    let generalizer: Generalizer

    /// The lines of `first` and `second` (two runs' outputs) that differ; each run's built-in
    /// variables are its own.
    func compare(_ first: [UInt8], _ second: [UInt8], variables: (first: [String: String], second: [String: String]))
        -> Result<[Finding], LineCountError> {
        let one = ActualLine.split(first, exact: false)
        let two = ActualLine.split(second, exact: false)
        guard one.count == two.count else { return .failure(LineCountError(first: one.count, second: two.count)) }
        var findings: [Finding] = []
        for index in one.indices {
            let a = String(decoding: one[index].bytes, as: UTF8.self)
            let b = String(decoding: two[index].bytes, as: UTF8.self)
            let left = segments(a, variables: variables.first)
            let right = segments(b, variables: variables.second)
            guard left.shown != right.shown || one[index].noEOL != two[index].noEOL else { continue }
            if let tokens = sameKinds(left, right) {
                findings.append(Finding(line: index, first: left.shown, second: right.shown, tokens: tokens, certain: true))
            } else {
                findings.append(Finding(line: index, first: left.shown, second: right.shown,
                                        tokens: changedWord(left, right), certain: false))
            }
        }
        return .success(findings)
    }

    /// The command's output lines differ in number: no line-by-line suggestion.
    struct LineCountError: Error {
        var first: Int
        var second: Int
    }

    /// A line cut into values of a kind and the text between them.
    struct Segments {
        var tokens: [Generalizer.Token]
        var gaps: [String]
        /// The line with variables as `{{$NAME}}` (the other tokens as they are).
        var shown: String
    }

    /// The values in `line` by kind: the built-in variables, then times, IDs and numbers.
    func segments(_ line: String, variables: [String: String]) -> Segments {
        let bytes = Array(line.utf8)
        let ordered = variables.filter { $0.value.count > 1 }.map { (name: $0.key, value: $0.value) }
            .sorted { $0.value.count > $1.value.count }
        let values = generalizer.variableTokens(bytes, variables: ordered)
        var tokens = values
        if let pattern = try? Regex(Self.valuePattern(generalizer), options: .utf, jit: false) {
            var position = 0
            while position < bytes.count,
                  let found = bytes[position...].withUnsafeBufferPointer({ pattern.firstMatch(in: $0) }), let whole = found[group: 0] {
                let range = (whole.lowerBound + position)..<(whole.upperBound + position)
                position = max(range.upperBound, range.lowerBound + 1)
                guard !range.isEmpty, !values.contains(where: { $0.range.overlaps(range) }) else { continue }
                let text = String(decoding: bytes[range], as: UTF8.self)
                tokens.append(Generalizer.Token(range: range, kind: Self.kind(of: text, found: found, pattern: pattern), text: text))
            }
        }
        tokens.sort { $0.range.lowerBound < $1.range.lowerBound }
        var gaps: [String] = []
        var shown = ""
        var at = 0
        for token in tokens {
            let gap = String(decoding: bytes[at..<token.range.lowerBound], as: UTF8.self)
            gaps.append(gap)
            shown += gap + (token.kind == .variable ? token.placeholder : token.text)
            at = token.range.upperBound
        }
        let rest = String(decoding: bytes[at...], as: UTF8.self)
        gaps.append(rest)
        return Segments(tokens: tokens, gaps: gaps, shown: shown + rest)
    }

    /// The kinds of values found by name, most particular first (hex and numbers come after).
    static let valueKinds: [Generalizer.Kind] = [.sha256, .uuid, .zonedTime, .timestamp, .datetime, .lsDate, .ago, .duration,
                                                 .humanSize, .percent]

    /// The kinds a changed value may be, most particular first; numbers and hex last.
    static func valuePattern(_ generalizer: Generalizer) -> String {
        let kinds = valueKinds
        let named = kinds.map { "(?<\($0 == .sha256 ? "sha" : "k\(kinds.firstIndex(of: $0) ?? 0)")>" + generalizer.regex($0) + ")" }
        return "(?<![0-9A-Za-z_])(?:" + (named + ["(?<hex>[0-9a-f]*[0-9][0-9a-f]*)", "(?<number>[-+]?[0-9]+(?:\\.[0-9]+)?)"])
            .joined(separator: "|") + ")(?![0-9A-Za-z_])"
    }

    /// The kind of a value the value pattern found.
    static func kind(of text: String, found: Match, pattern: Regex) -> Generalizer.Kind {
        let kinds = valueKinds
        if pattern.groupNumber(named: "sha").flatMap({ found[group: $0] }) != nil { return .sha256 }
        for (index, kind) in kinds.enumerated() where pattern.groupNumber(named: "k\(index)").flatMap({ found[group: $0] }) != nil {
            return kind
        }
        if pattern.groupNumber(named: "hex").flatMap({ found[group: $0] }) != nil, text.contains(where: \.isLetter) {
            switch text.count {
            case 64: return .id
            case 12: return .shortID
            case 7...40: return .gitHash
            default: return .hex
            }
        }
        return text.contains(".") ? .number : .int
    }

    /// The first run's tokens whose values changed, when the two lines have the same text
    /// between values of the same kinds; nil otherwise.
    func sameKinds(_ left: Segments, _ right: Segments) -> [Generalizer.Token]? {
        guard left.gaps == right.gaps, left.tokens.count == right.tokens.count else { return nil }
        var changed: [Generalizer.Token] = []
        for (a, b) in zip(left.tokens, right.tokens) {
            if a.kind == .variable || b.kind == .variable {
                guard a.kind == b.kind, a.variable == b.variable else { return nil }
                continue
            }
            guard a.text != b.text else { continue }
            var token = a
            switch (a.kind, b.kind) {
            case let (x, y) where x == y: break
            case (.int, .number), (.number, .int): token.kind = .number
            case (.hex, _), (_, .hex), (.gitHash, .int), (.int, .gitHash), (.shortID, .int), (.int, .shortID):
                token.kind = .hex
            default: return nil
            }
            changed.append(token)
        }
        return changed.isEmpty ? nil : changed
    }

    /// A suggestion for a line whose text changed: the changed run of the first line (widened
    /// to whole words, compared with each run's variables as `{{$NAME}}`) as an inline pattern
    /// that fits both runs' words, or `{{any}}`.
    func changedWord(_ left: Segments, _ right: Segments) -> [Generalizer.Token] {
        let x = Array(left.shown.utf8), y = Array(right.shown.utf8)
        var prefix = 0
        while prefix < min(x.count, y.count), x[prefix] == y[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(x.count, y.count) - prefix, x[x.count - 1 - suffix] == y[y.count - 1 - suffix] { suffix += 1 }
        while prefix > 0, Self.isWordByte(x[prefix - 1]) { prefix -= 1 }
        while suffix > 0, Self.isWordByte(x[x.count - suffix]) { suffix -= 1 }
        let middle = (x[prefix..<(x.count - suffix)], y[prefix..<(y.count - suffix)])
        let word = { (bytes: ArraySlice<UInt8>) in !bytes.isEmpty && bytes.allSatisfy(Self.isWordByte) }
        let variables = left.tokens.filter { $0.kind == .variable }
        let range = rawOffset(prefix, in: left, up: false)..<rawOffset(x.count - suffix, in: left, up: true)
        var token = Generalizer.Token(range: range, kind: .any, text: String(decoding: middle.0, as: UTF8.self))
        if word(middle.0), word(middle.1) {
            token.written = middle.0.count == middle.1.count ? "{{/\\w{\(middle.0.count)}/}}" : "{{/\\w+/}}"
        }
        return Generalizer.merging([token], into: variables)
    }

    /// The offset in the first run's line of `offset` in its shown form; inside a variable's
    /// `{{$NAME}}`, its start or (`up`) its end.
    private func rawOffset(_ offset: Int, in segments: Segments, up: Bool) -> Int {
        var shown = 0
        var raw = 0
        for (gap, token) in zip(segments.gaps, segments.tokens) {
            let gapLength = gap.utf8.count
            if offset <= shown + gapLength { return raw + offset - shown }
            shown += gapLength
            raw += gapLength
            let shownLength = token.kind == .variable ? token.placeholder.utf8.count : token.text.utf8.count
            if offset < shown + shownLength {
                return token.kind == .variable ? (up ? token.range.upperBound : token.range.lowerBound) : raw + offset - shown
            }
            shown += shownLength
            raw = token.range.upperBound
        }
        return raw + offset - shown
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }
}
