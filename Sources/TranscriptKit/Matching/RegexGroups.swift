/// Group numbers in PCRE2 pattern text, so that an inline pattern (`{{/REGEX/}}`) keeps its own
/// meaning inside the one pattern a line compiles to: there, groups before it (a capture's
/// named group, earlier inline patterns) shift its numbers, so `\1` must become `\3` when two
/// groups come first. FORMAT.md calls each placeholder a PCRE2 pattern of its own.
///
/// A reader of the syntax that matters for numbering: escapes, `\Q...\E`, character classes,
/// `(?#...)` comments, capturing groups (`(`, `(?<name>`, `(?'name'`, `(?P<name>`), and the
/// references that name a group by number: `\N`, `\gN`, `\g{N}`, `\g<N>`, `\g'N'`, `(?N)`,
/// `(?(N)` and `(?(<N>)`-less conditions. Relative references (`\g{-1}`, `(?-1)`) need nothing.
/// Not handled: comments of the extended mode (`(?x)` ... `# text`).
enum RegexGroups {
    /// The number of capturing groups that open in `source`, which need not be complete.
    static func captureCount(_ source: String) -> Int {
        var count = 0
        scan(Array(source.utf8)) { event in
            if case .group = event { count += 1 }
        }
        return count
    }

    /// `source` with every absolute group number raised by `offset`.
    static func shiftingReferences(_ source: String, by offset: Int) -> String {
        guard offset > 0 else { return source }
        let bytes = Array(source.utf8)
        var edits: [(range: Range<Int>, number: Int)] = []
        scan(bytes) { event in
            if case .reference(let range, let number) = event { edits.append((range, number)) }
        }
        guard !edits.isEmpty else { return source }
        var out: [UInt8] = []
        var position = 0
        for edit in edits {
            out += bytes[position..<edit.range.lowerBound]
            out += Array(String(edit.number + offset).utf8)
            position = edit.range.upperBound
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }

    private enum Event {
        case group
        /// The digits of an absolute reference and their value.
        case reference(Range<Int>, Int)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The digits at `index` (at least one), as a range and a value.
    private static func digits(_ bytes: [UInt8], at index: Int) -> (Range<Int>, Int)? {
        var end = index
        var value = 0
        while end < bytes.count, isDigit(bytes[end]), end - index < 6 {
            value = value * 10 + Int(bytes[end] - UInt8(ascii: "0"))
            end += 1
        }
        return end > index ? (index..<end, value) : nil
    }

    private static func scan(_ bytes: [UInt8], _ report: (Event) -> Void) {
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"):
                guard i + 1 < bytes.count else { return }
                i = escape(bytes, at: i, report)
            case UInt8(ascii: "["):
                i = classEnd(bytes, at: i)
            case UInt8(ascii: "("):
                i = parenthesis(bytes, at: i, report)
            default:
                i += 1
            }
        }
    }

    /// The byte at `k`, or nil past the end.
    private static func at(_ bytes: [UInt8], _ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }

    /// Reads the escape at `i` (a backslash with a byte after it); returns the index after it.
    private static func escape(_ bytes: [UInt8], at i: Int, _ report: (Event) -> Void) -> Int {
        let next = bytes[i + 1]
        if next == UInt8(ascii: "Q") {
            // Literal up to \E (or the end).
            var k = i + 2
            while k < bytes.count, !(bytes[k] == UInt8(ascii: "\\") && at(bytes, k + 1) == UInt8(ascii: "E")) { k += 1 }
            return k + 2
        }
        if next >= UInt8(ascii: "1") && next <= UInt8(ascii: "9"), let (range, value) = digits(bytes, at: i + 1) {
            // \N: a back reference (PCRE2 reads \1-\9 always so, and more digits so when
            // that many groups exist; octal escapes start with 0).
            report(.reference(range, value))
            return range.upperBound
        }
        if next == UInt8(ascii: "g") {
            var k = i + 2
            let open = at(bytes, k)
            if open == UInt8(ascii: "{") || open == UInt8(ascii: "<") || open == UInt8(ascii: "'") { k += 1 }
            if let first = at(bytes, k), isDigit(first), let (range, value) = digits(bytes, at: k) {
                report(.reference(range, value))
                return range.upperBound
            }
        }
        return i + 2
    }

    /// The index after the character class that opens at `i` (a `]` first is literal).
    private static func classEnd(_ bytes: [UInt8], at i: Int) -> Int {
        var k = i + 1
        if at(bytes, k) == UInt8(ascii: "^") { k += 1 }
        if at(bytes, k) == UInt8(ascii: "]") { k += 1 }
        while k < bytes.count, bytes[k] != UInt8(ascii: "]") {
            if bytes[k] == UInt8(ascii: "\\") {
                k += 2
            } else if bytes[k] == UInt8(ascii: "["), at(bytes, k + 1) == UInt8(ascii: ":") {
                // [:alpha:]
                var e = k + 2
                while e + 1 < bytes.count, !(bytes[e] == UInt8(ascii: ":") && bytes[e + 1] == UInt8(ascii: "]")) { e += 1 }
                k = e + 2
            } else {
                k += 1
            }
        }
        return k + 1
    }

    /// Reads the `(` at `i`: a group, a comment, a call or condition on a group number, or a verb.
    private static func parenthesis(_ bytes: [UInt8], at i: Int, _ report: (Event) -> Void) -> Int {
        guard at(bytes, i + 1) == UInt8(ascii: "?") else {
            if at(bytes, i + 1) != UInt8(ascii: "*") { report(.group) }
            return i + 1
        }
        let kind = at(bytes, i + 2)
        if kind == UInt8(ascii: "#") {
            var k = i + 3
            while k < bytes.count, bytes[k] != UInt8(ascii: ")") { k += 1 }
            return k + 1
        }
        if kind == UInt8(ascii: "<"), let after = at(bytes, i + 3), after != UInt8(ascii: "="), after != UInt8(ascii: "!") {
            report(.group)
        } else if kind == UInt8(ascii: "'") || (kind == UInt8(ascii: "P") && at(bytes, i + 3) == UInt8(ascii: "<")) {
            report(.group)
        } else if let kind, isDigit(kind) || kind == UInt8(ascii: "+"),
                  let (range, value) = digits(bytes, at: kind == UInt8(ascii: "+") ? i + 3 : i + 2) {
            // (?N) calls group N; (?+N) is relative.
            if kind != UInt8(ascii: "+") { report(.reference(range, value)) }
            return range.upperBound
        } else if kind == UInt8(ascii: "("), let first = at(bytes, i + 3), isDigit(first), let (range, value) = digits(bytes, at: i + 3) {
            // (?(N)...): a condition on group N.
            report(.reference(range, value))
            return range.upperBound
        }
        return i + 2
    }
}
