import PCRE2

/// Finds `examples=` tokens in the literal text of an expected line: values of the listed kinds
/// on word boundaries. Where tokens overlap the longest wins, so `Exited (0) 42 hours ago` is one
/// `status` token rather than an `ago` token inside it.
struct ExampleScanner {
    struct Token {
        var range: Range<Int>
        var pattern: NamedPattern
    }

    private var scanners: [(NamedPattern, Regex)] = []

    init(kinds: [String], library: PatternLibrary) {
        for kind in kinds {
            guard let named = library.pattern(named: kind) else { continue }
            let source = "(?<![A-Za-z0-9_])(?:\(named.regex))(?![A-Za-z0-9_])"
            if let regex = try? library.cache.regex(source, options: .utf) {
                scanners.append((named, regex))
            }
        }
    }

    /// Non-overlapping tokens in `bytes`, in order.
    func tokens(in bytes: [UInt8]) -> [Token] {
        var candidates: [Token] = []
        for (named, regex) in scanners {
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
                candidates.append(Token(range: range, pattern: named))
                position = range.upperBound
            }
        }
        candidates.sort { $0.range.count > $1.range.count || ($0.range.count == $1.range.count && $0.range.lowerBound < $1.range.lowerBound) }
        var chosen: [Token] = []
        for candidate in candidates where !chosen.contains(where: { $0.range.overlaps(candidate.range) }) {
            chosen.append(candidate)
        }
        return chosen.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}
