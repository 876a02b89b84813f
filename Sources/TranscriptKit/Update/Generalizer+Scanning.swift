import PCRE2

/// Finding what varies in one line: the rules that tell a value from the text around it.
extension Generalizer {
    /// What is known about a line being scanned.
    struct ScanContext {
        /// The columns of the Docker-style table the line belongs to, if any.
        var header: Set<String>?
        /// Whether the command runs git: then hex words of 7 to 40 digits are object names.
        var git = false
        /// Built-in variables (name, value), longest value first.
        var variables: [(name: String, value: String)] = []
    }

    /// Words after which a number with a time unit is a measured duration ("took 3 seconds").
    static let timingWords: Set<String> = ["took", "in", "elapsed", "elapsed:", "lasted", "taking", "time:", "duration:"]

    /// Whether `command` runs git (`git log`, `x=$(git rev-parse HEAD)`, `cd r && git commit`).
    static func runsGit(_ command: String) -> Bool {
        guard let regex = try? Regex("(?:^|[\\s;&|(`])git\\s", options: .utf, jit: false) else { return false }
        return regex.firstMatch(in: command) != nil
    }

    /// The column headers a Docker table line shows (`REPOSITORY   TAG   IMAGE ID   SIZE`), or nil.
    func tableHeader(_ line: String) -> Set<String>? {
        guard let regex = try? Regex("^[A-Z][A-Z /()]*[A-Z)](?: {2,}[A-Z][A-Z /()]*[A-Z)])+ *$", options: .utf, jit: false),
              regex.matches(line) else { return nil }
        var columns = Set<String>()
        for column in line.split(separator: "  ", omittingEmptySubsequences: true) {
            let name = String(column).trimmingWhitespace
            if !name.isEmpty { columns.insert(name) }
        }
        return columns
    }

    /// `extra` tokens with those of `tokens` that do not overlap them, in order.
    static func merging(_ extra: [Token], into tokens: [Token]) -> [Token] {
        let kept = tokens.filter { token in !extra.contains { $0.range.overlaps(token.range) } }
        return (kept + extra).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The tokens of `text` worth generalizing, in order: the built-in variables' values first,
    /// then what the patterns find between them. Sizes, statuses and names count only in a table
    /// whose header has that column.
    func scan(_ text: String, context: ScanContext) -> [Token] {
        let bytes = Array(text.utf8)
        let values = variableTokens(bytes, variables: context.variables)
        guard let pattern = try? Regex(scanPattern(context), options: .utf, jit: false) else { return values }
        var tokens: [Token] = []
        var position = 0
        while position < bytes.count {
            guard let found = bytes[position...].withUnsafeBufferPointer({ pattern.firstMatch(in: $0) }),
                  let whole = found[group: 0] else { break }
            let range = (whole.lowerBound + position)..<(whole.upperBound + position)
            if range.isEmpty { position += 1; continue }
            if (range.lowerBound > 0 && isWordByte(bytes[range.lowerBound - 1])) || values.contains(where: { $0.range.overlaps(range) }) {
                position = range.lowerBound + 1
                continue
            }
            let kind = Self.scanGroups.first { group, _ in
                pattern.groupNumber(named: group).flatMap { found[group: $0] } != nil
            }?.1
            let value = String(decoding: bytes[range], as: UTF8.self)
            if let kind, let accepted = accept(kind, value, at: range, in: bytes) {
                tokens.append(Token(range: range, kind: accepted, text: value))
            }
            position = range.upperBound
        }
        return Self.merging(values, into: tokens)
    }

    /// The scanner's group names and the kind each finds, in the order of `scanPattern`.
    static let scanGroups: [(String, Kind)] = [
        ("sha256", .sha256), ("uuid", .uuid), ("zoned", .zonedTime), ("timestamp", .timestamp), ("datetime", .datetime), ("id", .id),
        ("git", .gitHash), ("short", .shortID), ("ago", .ago), ("lsdate", .lsDate), ("duration", .duration),
        ("spelled", .number), ("size", .size), ("status", .status), ("name", .name),
    ]

    /// One pattern with a named group per kind, earlier alternatives winning at one position.
    private func scanPattern(_ context: ScanContext) -> String {
        var alternatives = [
            "(?<sha256>sha256:[0-9a-f]{64})",
            "(?<uuid>" + regex(.uuid) + ")",
            "(?<zoned>" + regex(.zonedTime) + ")",
            "(?<timestamp>" + regex(.timestamp) + ")",
            "(?<datetime>" + regex(.datetime) + ")",
            "(?<id>[0-9a-f]{64})",
        ]
        if context.git { alternatives.append("(?<git>[0-9a-f]{7,40})") }
        alternatives += [
            "(?<short>[0-9a-f]{12})",
            "(?<ago>" + regex(.ago) + ")",
            "(?<lsdate>" + regex(.lsDate) + ")",
            "(?<duration>" + regex(.duration) + ")",
            "(?<spelled>[0-9]+(?:\\.[0-9]+)?(?= (?:ns|us|µs|ms|milliseconds?|s|secs?|seconds?|mins?|minutes?)(?![A-Za-z])))",
        ]
        if let header = context.header {
            if header.contains("SIZE") || header.contains("VIRTUAL SIZE") { alternatives.append("(?<size>" + regex(.size) + ")") }
            if header.contains("STATUS") { alternatives.append("(?<status>" + regex(.status) + ")") }
            if header.contains("NAMES") { alternatives.append("(?<name>" + regex(.name) + ")") }
        }
        return "(?:" + alternatives.joined(separator: "|") + ")(?![0-9A-Za-z_])"
    }

    /// The kind `value` is written as, or nil when the context says it is text: a hex ID needs
    /// a digit and a letter (`deadbeef` and `1234567890123` are words and numbers); a duration
    /// is measured when it has a fraction, a unit below a second or several units (`1.23s`,
    /// `12ms`, `2m3s`), or follows "took" or "in"; a spelled one ("3 seconds") only so; an
    /// `ls -l` date with a year (an old file's) is not the time of the run.
    func accept(_ kind: Kind, _ value: String, at range: Range<Int>, in bytes: [UInt8]) -> Kind? {
        switch kind {
        case .shortID, .id, .gitHash:
            return value.contains(where: \.isNumber) && value.contains(where: \.isLetter) ? kind : nil
        case .duration:
            let units = value.split(whereSeparator: { $0.isNumber || $0 == "." || $0 == "-" }).map(String.init)
            let measured = value.contains(".") || units.count > 1 || ["ms", "us", "µs", "μs", "ns"].contains(units.first ?? "")
            return measured || followsTimingWord(range, in: bytes) ? kind : nil
        case .number:
            guard followsTimingWord(range, in: bytes) else { return nil }
            return value.contains(".") ? .number : .int
        case .name:
            return range.upperBound == bytes.count && value.contains("_") ? kind : nil
        case .lsDate:
            // `ls -l` shows a time for recent files only; a year is an old file's, and stays.
            return value.contains(":") ? kind : nil
        default:
            return kind
        }
    }

    /// Whether the word before `range` says that a time was measured ("took", "in", "elapsed").
    private func followsTimingWord(_ range: Range<Int>, in bytes: [UInt8]) -> Bool {
        let before = String(decoding: bytes[..<range.lowerBound], as: UTF8.self)
        guard before.hasSuffix(" ") || before.hasSuffix("\t") else { return false }
        let word = before.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "(" }).last.map { $0.lowercased() } ?? ""
        return Self.timingWords.contains(word)
    }

    /// Where the built-in variables' values stand in `bytes` as whole paths: not inside a longer
    /// name, and followed by the end, a `/` or a character that cannot be part of a file name's end.
    func variableTokens(_ bytes: [UInt8], variables: [(name: String, value: String)]) -> [Token] {
        var tokens: [Token] = []
        for (name, value) in variables {
            let needle = Array(value.utf8)
            var start = 0
            while start + needle.count <= bytes.count {
                guard let at = Self.firstIndex(of: needle, in: bytes, from: start) else { break }
                let end = at + needle.count
                let clearBefore = at == 0 || !isPathByte(bytes[at - 1])
                // A full stop that ends a sentence ends the path too.
                let stop = end < bytes.count && bytes[end] == UInt8(ascii: ".") && (end + 1 == bytes.count || bytes[end + 1] == 0x20)
                let clearAfter = end == bytes.count || bytes[end] == UInt8(ascii: "/") || !isPathByte(bytes[end]) || stop
                if clearBefore, clearAfter, !tokens.contains(where: { $0.range.overlaps(at..<end) }) {
                    tokens.append(Token(range: at..<end, kind: .variable, text: value, variable: name))
                    start = end
                } else {
                    start = at + 1
                }
            }
        }
        return tokens.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    func regex(_ kind: Kind) -> String {
        library.pattern(named: kind.rawValue)?.regex ?? "(?!)"
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    /// A byte a path's name may hold besides `/`.
    private func isPathByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte >= 0x80
    }
}
