/// Python `re` syntax, as cram compiles a `(re)` line (a bytes pattern), turned into PCRE2 source
/// that means the same. Where Python would reject the pattern, cram compares the line literally
/// only, so the translation says so; what both accept but read differently is rewritten.
enum PythonRegex {
    enum Translation: Equatable {
        /// PCRE2 source, to compile without UTF (Python's bytes patterns see bytes).
        case pcre2(String)
        /// Python rejects the pattern: the line is compared literally only.
        case invalid
        /// A construct Python accepts that PCRE2 cannot say, at a byte offset into the pattern.
        case unsupported(offset: Int, construct: String)
    }

    /// Translates `pattern`: `\Z` becomes `\z`, `\v` a vertical tab, `{,n}` `{0,n}`, a `[` inside
    /// a class a literal one; escapes, groups and flags Python does not know make it invalid.
    static func translate(_ pattern: [UInt8]) -> Translation {
        var reader = Reader(bytes: pattern)
        while let byte = reader.next() {
            let done: Translation?
            switch byte {
            case UInt8(ascii: "\\"): done = reader.escape()
            case UInt8(ascii: "["): done = reader.openClass()
            case UInt8(ascii: "]") where reader.inClass: reader.closeClass(); done = nil
            case UInt8(ascii: "(") where !reader.inClass: done = reader.group()
            case UInt8(ascii: "{") where !reader.inClass: reader.brace(); done = nil
            default: reader.out.append(byte); done = nil
            }
            if let done { return done }
        }
        return .pcre2(String(decoding: reader.out, as: UTF8.self))
    }

    /// Walks the pattern, writing PCRE2 source to `out`.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        var out: [UInt8] = []
        var inClass = false
        /// Where the current class's content starts (a `]` there is literal).
        var classStart = 0

        mutating func next() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        func peek(_ offset: Int = 0) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

        /// Python's escapes after a backslash; an unknown letter escape is an error in Python.
        mutating func escape() -> Translation? {
            guard let c = next() else { return .invalid }
            let character = Character(Unicode.Scalar(c))
            switch character {
            case "Z" where !inClass: out += Array("\\z".utf8)
            case "v": out += Array("\\x0b".utf8)
            case "A", "b", "B", "Z":
                if inClass && character != "b" { return .invalid }
                out += [UInt8(ascii: "\\"), c]
            case "a", "d", "D", "f", "n", "r", "s", "S", "t", "w", "W":
                out += [UInt8(ascii: "\\"), c]
            case "x":
                guard let h = peek(), let l = peek(1), Character(Unicode.Scalar(h)).isHexDigit,
                      Character(Unicode.Scalar(l)).isHexDigit else { return .invalid }
                out += [UInt8(ascii: "\\"), c, h, l]
                index += 2
            default:
                if c < 0x80, character.isLetter { return .invalid }
                out += [UInt8(ascii: "\\"), c]
            }
            return nil
        }

        /// `[`: a class opens; inside one, a literal `[` (PCRE2 would read `[:alpha:]`).
        mutating func openClass() -> Translation? {
            if inClass {
                out += Array("\\[".utf8)
                return nil
            }
            inClass = true
            out.append(UInt8(ascii: "["))
            if peek() == UInt8(ascii: "^") { out.append(UInt8(ascii: "^")); index += 1 }
            classStart = index
            return nil
        }

        mutating func closeClass() {
            if index - 1 == classStart {
                out += Array("\\]".utf8)
                return
            }
            inClass = false
            out.append(UInt8(ascii: "]"))
        }

        /// `(`: the group kinds Python knows; `(*VERB)`, `(?|`, `(?R)` and the like are errors there.
        mutating func group() -> Translation? {
            out.append(UInt8(ascii: "("))
            if peek() == UInt8(ascii: "*") { return .invalid }
            guard peek() == UInt8(ascii: "?") else { return nil }
            let start = index - 1
            let kind = peek(1).map { Character(Unicode.Scalar($0)) }
            switch kind {
            case ":", "=", "!", "#", ">", "(": return nil
            case "P":
                let next = peek(2)
                return next == UInt8(ascii: "<") || next == UInt8(ascii: "=") ? nil : .invalid
            case "<":
                let next = peek(2)
                return next == UInt8(ascii: "=") || next == UInt8(ascii: "!") ? nil : .invalid
            default:
                return flags(groupStart: start)
            }
        }

        /// `(?flags)` or `(?flags:...)`: Python's `a` is the bytes default (dropped), `u` is an
        /// error with bytes, `L` has no PCRE2 equal; a global group not at the start is an
        /// error since Python 3.11.
        mutating func flags(groupStart: Int) -> Translation? {
            index += 1
            out.append(UInt8(ascii: "?"))
            var kept: [UInt8] = []
            while let c = peek(), c != UInt8(ascii: ")"), c != UInt8(ascii: ":") {
                switch Character(Unicode.Scalar(c)) {
                case "i", "m", "s", "x", "-": kept.append(c)
                case "a": break
                case "L": return .unsupported(offset: index, construct: "the locale flag (?L)")
                default: return .invalid
                }
                index += 1
            }
            guard let end = peek() else { return .invalid }
            if end == UInt8(ascii: ")"), groupStart != 0 { return .invalid }
            out += kept
            return nil
        }

        /// `{`: Python reads `{,n}` as `{0,n}`; PCRE2 10.42 would read it as text.
        mutating func brace() {
            out.append(UInt8(ascii: "{"))
            guard peek() == UInt8(ascii: ",") else { return }
            var ahead = index + 1
            while ahead < bytes.count, bytes[ahead] >= UInt8(ascii: "0"), bytes[ahead] <= UInt8(ascii: "9") { ahead += 1 }
            if ahead > index + 1, ahead < bytes.count, bytes[ahead] == UInt8(ascii: "}") { out.append(UInt8(ascii: "0")) }
        }
    }
}
