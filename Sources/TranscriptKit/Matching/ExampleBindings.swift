/// Example values written in a document (`examples=`, FORMAT.md section 5) bound to the values
/// the engine actually printed. IDs (`short-id`, `id`, `sha256`) share one space keyed by their
/// hex digits, so `sha256:<hex>` and the 64-digit id `<hex>` are one value and a 12-digit ID
/// stands for the prefix of a 64-digit one; `uuid` and `name` values each have their own space.
package struct ExampleBindings: Sendable, Hashable {
    /// One example value bound to an actual value.
    package struct Binding: Sendable, Hashable {
        /// The example as the key (hex digits for IDs).
        package var example: String
        /// The actual value (hex digits for IDs).
        package var actual: String
        /// The Markdown line where the binding was made.
        package var line: Int
    }

    /// The kinds that bind; the other example kinds only match their pattern.
    package static let identityKinds: Set<String> = ["short-id", "id", "sha256", "uuid", "name"]
    /// The kinds whose actual value is read back when they match: the identity kinds, and
    /// `cut-id`, which binds nothing but must agree with a bound ID it is cut from.
    static let checkedKinds: Set<String> = identityKinds.union(["cut-id"])

    /// ID bindings by example hex digits.
    package private(set) var ids: [String: Binding] = [:]
    private var idsByActual: [String: String] = [:]
    /// `uuid` and `name` bindings: kind → example → binding.
    package private(set) var texts: [String: [String: Binding]] = [:]
    private var textsByActual: [String: [String: String]] = [:]

    package init() {}

    package var isEmpty: Bool { ids.isEmpty && texts.isEmpty }

    /// How many bindings there are; they are only ever added, so a change shows in the count.
    package var count: Int { ids.count + texts.values.reduce(0) { $0 + $1.count } }

    static func isIDKind(_ kind: String) -> Bool { kind == "short-id" || kind == "id" || kind == "sha256" }

    private static func digits(_ token: String) -> String {
        token.hasPrefix("sha256:") ? String(token.dropFirst(7)) : token
    }

    /// Checks that `actualToken` may stand for `exampleToken` (both as they appear, e.g. with a
    /// `sha256:` prefix) and binds them if they were not bound yet. Returns a message when the
    /// pairing contradicts an earlier one.
    mutating func bind(kind: String, example exampleToken: String, actual actualToken: String, line: Int) -> String? {
        if kind == "cut-id" { return checkCut(example: exampleToken, actual: actualToken) }
        if Self.isIDKind(kind) {
            return bindID(example: Self.digits(exampleToken), actual: Self.digits(actualToken),
                          exampleToken: exampleToken, actualToken: actualToken, line: line)
        }
        if let bound = texts[kind]?[exampleToken] {
            if bound.actual == actualToken { return nil }
            return "\(exampleToken) was bound to \(bound.actual) at line \(bound.line); here the output shows \(actualToken)"
        }
        if let other = textsByActual[kind]?[actualToken], other != exampleToken {
            let otherLine = texts[kind]?[other]?.line ?? 0
            return oneToOne(actualToken, example: exampleToken, other: other, line: otherLine)
        }
        texts[kind, default: [:]][exampleToken] = Binding(example: exampleToken, actual: actualToken, line: line)
        textsByActual[kind, default: [:]][actualToken] = exampleToken
        return nil
    }

    private mutating func bindID(example: String, actual: String, exampleToken: String, actualToken: String, line: Int) -> String? {
        func shown(_ digits: String) -> String {
            exampleToken.hasPrefix("sha256:") && digits.count == 64 ? "sha256:" + digits : digits
        }
        if let bound = ids[example] {
            if bound.actual == actual { return nil }
            return "\(exampleToken) was bound to \(shown(bound.actual)) at line \(bound.line); here the output shows \(actualToken)"
        }
        if example.count == 12, let long = ids.values.first(where: { $0.example.count == 64 && $0.example.hasPrefix(example) }) {
            let expected = String(long.actual.prefix(12))
            if expected == actual { return nil }
            return "\(exampleToken) is the prefix of \(long.example), which was bound to \(long.actual) at line \(long.line); "
                + "here the output shows \(actualToken) instead of \(expected)"
        }
        if example.count == 64, let short = ids[String(example.prefix(12))], !actual.hasPrefix(short.actual) {
            return "\(exampleToken) starts with \(short.example), which was bound to \(short.actual) at line \(short.line); "
                + "here the output shows \(actualToken)"
        }
        if let other = idsByActual[actual], other != example {
            return oneToOne(actualToken, example: exampleToken, other: other, line: ids[other]?.line ?? 0)
        }
        if actual.count == 12,
           let long = ids.values.first(where: { $0.actual.count == 64 && $0.actual.hasPrefix(actual) && !$0.example.hasPrefix(example) }) {
            return oneToOne(actualToken, example: exampleToken, other: long.example, line: long.line)
        }
        if actual.count == 64, let other = idsByActual[String(actual.prefix(12))], other != String(example.prefix(12)) {
            return oneToOne(actualToken, example: exampleToken, other: other, line: ids[other]?.line ?? 0)
        }
        ids[example] = Binding(example: example, actual: actual, line: line)
        idsByActual[actual] = example
        return nil
    }

    /// A `cut-id` example agrees with the bound ID it is cut from (or that is cut from it): the
    /// actual digits and the bound value are one a prefix of the other. Unrelated cuts bind nothing.
    private func checkCut(example exampleToken: String, actual actualToken: String) -> String? {
        let example = Self.uncut(exampleToken), actual = Self.uncut(actualToken)
        guard let bound = ids.values.filter({ $0.example.hasPrefix(example) || example.hasPrefix($0.example) })
            .min(by: { $0.line < $1.line }) else { return nil }
        if bound.actual.hasPrefix(actual) || actual.hasPrefix(bound.actual) { return nil }
        return "\(exampleToken) is cut from \(bound.example), which was bound to \(bound.actual) at line \(bound.line); "
            + "here the output shows \(actualToken)"
    }

    /// Hex digits without the ellipsis that marks them as cut.
    private static func uncut(_ token: String) -> String {
        if token.hasSuffix("...") { return String(token.dropLast(3)) }
        if token.hasSuffix("…") { return String(token.dropLast()) }
        return token
    }

    private func oneToOne(_ actual: String, example: String, other: String, line: Int) -> String {
        "\(actual) is already bound to the example \(other) at line \(line); the example \(example) cannot stand for it too"
    }

    /// Actual value → the example bound to it, for writing output back as the author would:
    /// IDs by their digits (and the 12-digit prefix of a 64-digit pair), names and UUIDs as they are.
    package var examplesByActual: [String: String] {
        var reverse: [String: String] = [:]
        for binding in ids.values {
            reverse[binding.actual] = binding.example
            if binding.actual.count == 64, binding.example.count == 64 {
                reverse[String(binding.actual.prefix(12))] = String(binding.example.prefix(12))
            }
        }
        for kind in texts.values {
            for binding in kind.values { reverse[binding.actual] = binding.example }
        }
        return reverse
    }

    /// `text` with every bound example value, as a whole word, replaced by its actual value:
    /// IDs (also a 12-digit prefix of a bound 64-digit example), names and UUIDs.
    func substitute(in text: String) -> String {
        if isEmpty { return text }
        let uuids = (texts["uuid"] ?? [:]).values.map { (Array($0.example.utf8), Array($0.actual.utf8)) }
        let names = texts["name"] ?? [:]
        return Self.replacingTokens(in: text, uuids: uuids) { idReplacement(for: $0) ?? names[$0]?.actual }
    }

    /// `text` with tokens replaced on word boundaries: the UUIDs of `uuids` (from, to), and each
    /// word (a run of `[A-Za-z0-9_]`) that `word` maps to something.
    package static func replacingTokens(in text: String, uuids: [([UInt8], [UInt8])],
                                        word replacement: (String) -> String?) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let atBoundary = i == 0 || !isWordByte(bytes[i - 1])
            guard atBoundary, isWordByte(bytes[i]) else {
                out.append(bytes[i]); i += 1; continue
            }
            if let (from, to) = uuids.first(where: { matchesWord($0.0, in: bytes, at: i) }) {
                out += to
                i += from.count
                continue
            }
            var end = i
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
            if let replaced = replacement(String(decoding: bytes[i..<end], as: UTF8.self)) {
                out += Array(replaced.utf8)
            } else {
                out += bytes[i..<end]
            }
            i = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The actual value a bound example word stands for in a command line, if it is bound.
    func boundValue(forWord word: String) -> String? {
        idReplacement(for: word) ?? texts["name"]?[word]?.actual ?? texts["uuid"]?[word]?.actual
    }

    private func idReplacement(for word: String) -> String? {
        if let bound = ids[word] { return bound.actual }
        if word.count == 12, word.utf8.allSatisfy(isLowerHex),
           let long = ids.values.first(where: { $0.example.count == 64 && $0.example.hasPrefix(word) && $0.actual.count == 64 }) {
            return String(long.actual.prefix(12))
        }
        return nil
    }

    private static func matchesWord(_ needle: [UInt8], in bytes: [UInt8], at i: Int) -> Bool {
        guard i + needle.count <= bytes.count, bytes[i..<(i + needle.count)].elementsEqual(needle) else { return false }
        return i + needle.count == bytes.count || !isWordByte(bytes[i + needle.count])
    }
}

/// `[A-Za-z0-9_]`, the characters of a word for word boundaries.
func isWordByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
        return true
    default:
        return false
    }
}

private func isLowerHex(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
}
