import PCRE2

/// Finds `examples=` tokens in the literal text of an expected line: values of the listed kinds
/// on word boundaries. Where tokens overlap the longest wins (of two alike, the kind listed
/// first), so `Exited (0) 42 hours ago` is one `status` token rather than an `ago` token inside it.
struct ExampleScanner {
    struct Token {
        var range: Range<Int>
        var pattern: NamedPattern
    }

    private var scanners: [(NamedPattern, Regex)] = []

    init(kinds: [String], library: PatternLibrary) {
        for kind in kinds {
            guard let named = library.pattern(named: kind) else { continue }
            let source = "(?<![A-Za-z0-9_])(?:\(named.scanRegex ?? named.regex))(?![A-Za-z0-9_])"
            if let regex = try? library.cache.regex(source, options: .utf) {
                scanners.append((named, regex))
            }
        }
    }

    /// Non-overlapping tokens in `bytes`, in order.
    func tokens(in bytes: [UInt8]) -> [Token] {
        var candidates: [(token: Token, order: Int)] = []
        for (order, (named, regex)) in scanners.enumerated() {
            var position = 0
            while position < bytes.count {
                let found = bytes.withUnsafeBufferPointer { buffer in
                    regex.firstMatch(in: UnsafeBufferPointer(rebasing: buffer[position...]))
                }
                guard let found else { break }
                let range = (found.range.lowerBound + position)..<(found.range.upperBound + position)
                // The look-behind cannot see before the slice: check the byte before it here.
                if range.isEmpty || (range.lowerBound > 0 && isWordByte(bytes[range.lowerBound - 1])) {
                    position = range.lowerBound + 1
                    continue
                }
                candidates.append((Token(range: range, pattern: named), order))
                position = range.upperBound
            }
        }
        // The longest first; of two alike, the one that starts first, then the kind listed first.
        candidates.sort { a, b in
            (a.token.range.count, -a.token.range.lowerBound, -a.order) > (b.token.range.count, -b.token.range.lowerBound, -b.order)
        }
        var chosen: [Token] = []
        for (candidate, _) in candidates where !chosen.contains(where: { $0.range.overlaps(candidate.range) }) {
            chosen.append(candidate)
        }
        return chosen.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}

/// The identity example values (`short-id`, `id`, `sha256`, `uuid`, `name`) written in the
/// expected output of earlier lines of a file. Once such a value is bound, it stands for the
/// engine's value in every later command line (FORMAT.md section 5), so it does the same in every
/// later expected line: also in a block without `examples=`, and a 12-digit prefix of a 64-digit
/// example also where `short-id` is not listed. Otherwise a later block would run `docker rm`
/// with the real ID and then expect the author's.
package struct ExampleVocabulary: Sendable, Hashable {
    /// Hex digits of ID examples (12 or 64; a `sha256:` example by its digits).
    private(set) var ids: Set<[UInt8]> = []
    private(set) var names: Set<[UInt8]> = []
    private(set) var uuids: Set<[UInt8]> = []
    /// The Markdown line where each value (as stored above) is first written.
    private var firstLines: [[UInt8]: Int] = [:]

    package init() {}

    var isEmpty: Bool { ids.isEmpty && names.isEmpty && uuids.isEmpty }

    mutating func learn(kind: String, example: [UInt8], line: Int) {
        var key = example
        switch kind {
        case "short-id", "id": ids.insert(example)
        case "sha256": key = Array(example.dropFirst(7)); ids.insert(key)
        case "name": names.insert(example)
        case "uuid": uuids.insert(example)
        default: return
        }
        if firstLines[key] == nil { firstLines[key] = line }
    }

    /// The known example values written in a command line, each with the line that first shows
    /// it: once bound they are replaced by their values, and until then the command cannot run.
    func mentions(in text: String) -> [ExampleMention] {
        let bytes = Array(text.utf8)
        return tokens(in: bytes, avoiding: []).map { token in
            let word = Array(bytes[token.range])
            let line = firstLines[word]
                ?? ids.filter { $0.count == 64 && $0.starts(with: word) }.compactMap { firstLines[$0] }.min() ?? 0
            return ExampleMention(word: String(decoding: word, as: UTF8.self), line: line)
        }
    }

    /// The kind a known example value at a word `word` is read as, if any.
    private func kind(ofWord word: ArraySlice<UInt8>) -> String? {
        if word.count == 64, ids.contains(Array(word)) { return "id" }
        if word.count == 12, word.allSatisfy(isLowerHexDigit) {
            if ids.contains(Array(word)) { return "short-id" }
            if ids.contains(where: { $0.count == 64 && $0.starts(with: word) }) { return "short-id" }
        }
        if names.contains(Array(word)) { return "name" }
        return nil
    }

    /// Known example values in `bytes`, on word boundaries, in order and not overlapping `taken`.
    func tokens(in bytes: [UInt8], avoiding taken: [Range<Int>]) -> [(range: Range<Int>, kind: String)] {
        guard !isEmpty else { return [] }
        var found: [(range: Range<Int>, kind: String)] = []
        for uuid in uuids {
            var start = 0
            while start + uuid.count <= bytes.count {
                if bytes[start..<(start + uuid.count)].elementsEqual(uuid),
                   start == 0 || !isWordByte(bytes[start - 1]),
                   start + uuid.count == bytes.count || !isWordByte(bytes[start + uuid.count]) {
                    found.append((start..<(start + uuid.count), "uuid"))
                    start += uuid.count
                } else {
                    start += 1
                }
            }
        }
        var i = 0
        while i < bytes.count {
            guard isWordByte(bytes[i]) else { i += 1; continue }
            var end = i
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
            if let kind = kind(ofWord: bytes[i..<end]) { found.append((i..<end, kind)) }
            i = end
        }
        var chosen: [(range: Range<Int>, kind: String)] = []
        for token in found.sorted(by: { $0.range.lowerBound < $1.range.lowerBound })
            where !taken.contains(where: { $0.overlaps(token.range) }) && !chosen.contains(where: { $0.range.overlaps(token.range) }) {
            chosen.append(token)
        }
        return chosen
    }
}

private func isLowerHexDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
}

/// An example value that a command line uses, and the line of the page that first shows it.
package struct ExampleMention: Sendable, Hashable {
    package var word: String
    package var line: Int
}
