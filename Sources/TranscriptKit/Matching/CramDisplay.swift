/// How cram shows a command's output, line by line, and reads `(esc)` text back: the forms its
/// `(re)`, `(glob)` and `(esc)` lines are compared with, and what `update` writes for a `.t` file.
enum CramDisplay {
    /// One output line as cram shows it (without the indent).
    struct Line: Sendable, Hashable {
        /// The line as written in a `.t` file: with ` (no-eol)` and, when escaped, ` (esc)`.
        var display: [UInt8]
        /// When `display` ends in ` (esc)`: the bytes it stands for, as cram decodes them.
        var decoded: [UInt8]?
    }

    /// `output` split as Python's `splitlines` does (on `\n`, `\r\n` and a bare `\r`); a line
    /// ended by a bare `\r` or by the end of the output gets ` (no-eol)`, and a line holding a
    /// control byte, a tab or a byte above 0x7e is written escaped with ` (esc)`.
    static func lines(of output: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        var index = 0
        while index < output.count {
            let byte = output[index]
            if byte == 0x0A {
                lines.append(line(Array(output[start..<index]), noEOL: false))
                start = index + 1
            } else if byte == 0x0D, index + 1 >= output.count || output[index + 1] != 0x0A {
                lines.append(line(Array(output[start...index]), noEOL: true))
                start = index + 1
            }
            index += 1
        }
        if start < output.count { lines.append(line(Array(output[start...]), noEOL: true)) }
        return lines
    }

    private static let noEOLSuffix = Array(" (no-eol)".utf8)
    private static let escSuffix = Array(" (esc)".utf8)

    /// One line's display: `bytes` (without its `\n`) and ` (no-eol)`, escaped when needed.
    static func line(_ bytes: [UInt8], noEOL: Bool) -> Line {
        let plain = noEOL ? bytes + noEOLSuffix : bytes
        guard plain.contains(where: needsEscape) else {
            // Output that happens to end in ` (esc)` is decoded too, as cram does.
            return Line(display: plain, decoded: isEscaped(plain) ? decode(plain.dropLast(escSuffix.count)) : nil)
        }
        var escaped: [UInt8] = []
        for byte in plain {
            switch byte {
            case UInt8(ascii: "\\"): escaped += Array("\\\\".utf8)
            case 0x0D: escaped += Array("\\r".utf8)
            case 0x09: escaped += Array("\\t".utf8)
            default:
                if needsEscape(byte) {
                    escaped += Array("\\x".utf8) + hex(byte)
                } else {
                    escaped.append(byte)
                }
            }
        }
        return Line(display: escaped + escSuffix, decoded: plain)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte <= 0x09 || (byte >= 0x0B && byte <= 0x1F) || byte >= 0x7F
    }

    private static func hex(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    /// Whether `bytes` ends with ` (esc)`.
    static func isEscaped(_ bytes: [UInt8]) -> Bool {
        bytes.count >= escSuffix.count && Array(bytes.suffix(escSuffix.count)) == escSuffix
    }

    /// The bytes of `text` (without ` (esc)`) as Python's `codecs.escape_decode` reads them:
    /// `\\ \' \" \a \b \f \n \r \t \v`, `\xHH`, octal `\NNN`; any other backslash stays. Nil
    /// where Python raises (a bad `\x`, a trailing backslash).
    static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let bytes = Array(text)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else {
                out.append(bytes[index])
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            let c = bytes[index + 1]
            index += 2
            if let simple = simpleEscapes[c] {
                out.append(simple)
            } else if c == UInt8(ascii: "x") {
                guard index + 1 < bytes.count, let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return nil }
                out.append(high << 4 | low)
                index += 2
            } else if let first = octalValue(c) {
                var value = Int(first)
                var digits = 1
                while digits < 3, index < bytes.count, let next = octalValue(bytes[index]) {
                    value = value * 8 + Int(next)
                    digits += 1
                    index += 1
                }
                out.append(UInt8(value & 0xFF))
            } else if c != 0x0A {
                out += [UInt8(ascii: "\\"), c]
            }
        }
        return out
    }

    private static let simpleEscapes: [UInt8: UInt8] = [
        UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "'"): 0x27, UInt8(ascii: "\""): 0x22, UInt8(ascii: "a"): 0x07,
        UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D,
        UInt8(ascii: "t"): 0x09, UInt8(ascii: "v"): 0x0B,
    ]

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        Character(Unicode.Scalar(byte)).hexDigitValue.map { UInt8($0) }
    }

    private static func octalValue(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") ? byte - UInt8(ascii: "0") : nil
    }
}
