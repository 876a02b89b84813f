import PCRE2

/// How literal text, globs and `(esc)` lines become PCRE2 source or bytes.
extension LineCompiler {
    /// PCRE2 source matching `literal` exactly; under `ws` a run of spaces and tabs matches any
    /// run of one or more.
    func escapeLiteral(_ literal: String) -> String {
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
    func globToPCRE2(_ glob: String) -> String {
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
    mutating func decodeEscapes(_ text: String, line: ExpectedLine) -> [UInt8]? {
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
