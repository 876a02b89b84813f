/// The top-level alternatives of PCRE2 source, for converting cram's anchoring: a `|` counts
/// outside groups, classes, escapes and `\Q...\E`.
enum RegexAlternatives {
    /// `source` split at its top-level `|`.
    static func split(_ source: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var inClass = false
        var quoted = false
        var chars = Substring(source)
        while let c = chars.popFirst() {
            if quoted {
                current.append(c)
                if c == "\\", chars.first == "E" { current.append(chars.removeFirst()); quoted = false }
                continue
            }
            switch c {
            case "\\":
                current.append(c)
                if let next = chars.popFirst() {
                    current.append(next)
                    if next == "Q" { quoted = true }
                }
                continue
            case "[" where !inClass:
                inClass = true
                current.append(c)
                if chars.first == "^" { current.append(chars.removeFirst()) }
                if chars.first == "]" { current.append(chars.removeFirst()) }
                continue
            case "]" where inClass: inClass = false
            case "(" where !inClass: depth += 1
            case ")" where !inClass: depth -= 1
            case "|" where !inClass && depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    /// Whether `c` quantifies the atom before it.
    static func isQuantifier(_ c: Character?) -> Bool {
        guard let c else { return false }
        return "*+?{".contains(c)
    }

    /// Whether `c` stands for itself in a pattern.
    static func isPlainLiteral(_ c: Character) -> Bool {
        c.isASCII && !"\\^$.|?*+()[]{}#".contains(c) && (c.isLetter || c.isNumber || c.isPunctuation || c.isSymbol || c == " ")
    }
}
