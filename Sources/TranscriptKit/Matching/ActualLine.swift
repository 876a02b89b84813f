import Glibc

/// One line of a command's actual output, as compared: raw bytes (possibly invalid UTF-8),
/// without the newline, and whether the output ended on it without a final newline.
struct ActualLine: Sendable, Hashable {
    /// A slice of the command's output (no copy per line).
    var bytes: ArraySlice<UInt8>
    var noEOL: Bool

    /// Splits output on "\n". In default mode trailing spaces and tabs are removed from each
    /// line and blank lines at the start and end are dropped; `exact` keeps both.
    static func split(_ output: [UInt8], exact: Bool) -> [ActualLine] {
        var lines: [ActualLine] = []
        var start = 0
        for index in output.indices where output[index] == UInt8(ascii: "\n") {
            lines.append(ActualLine(bytes: output[start..<index], noEOL: false))
            start = index + 1
        }
        if start < output.count {
            lines.append(ActualLine(bytes: output[start...], noEOL: true))
        }
        if exact { return lines }
        for index in lines.indices {
            let bytes = lines[index].bytes
            var end = bytes.endIndex
            while end > bytes.startIndex, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            if end != bytes.endIndex { lines[index].bytes = bytes[..<end] }
        }
        return trimmingBlankEnds(lines) { $0.bytes.isEmpty }
    }

    /// The text to show in a diff: the line itself when it is displayable UTF-8, otherwise its
    /// `(esc)` spelling; `(no-eol)` appended when the output ended without a newline. This is also
    /// how the line would be written as an expected line.
    var displayText: String {
        var text: String
        if let escaped = Self.escapedIfNeeded(bytes) {
            text = escaped + " (esc)"
        } else {
            text = String(decoding: bytes, as: UTF8.self)
        }
        if noEOL { text += " (no-eol)" }
        return text
    }

    /// The `(esc)` spelling of `bytes`, or nil when they are valid UTF-8 without control characters
    /// other than tab.
    static func escapedIfNeeded(_ bytes: ArraySlice<UInt8>) -> String? {
        let valid = String(validating: bytes, as: UTF8.self)
        let hasControl = bytes.contains { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }
        if valid != nil, !hasControl { return nil }
        var out = ""
        if let valid {
            // Keep displayable characters (including non-ASCII) readable; escape only controls.
            for scalar in valid.unicodeScalars {
                switch scalar {
                case "\\": out += "\\\\"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        out += "\\x" + hex2(UInt8(scalar.value))
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        } else {
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x09: out += "\\t"
                case 0x0D: out += "\\r"
                case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
                default: out += "\\x" + hex2(byte)
                }
            }
        }
        return out
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

extension Array where Element == UInt8 {
    /// Removes trailing spaces and tabs.
    mutating func trimTrailingBlanks() {
        while let last, last == 0x20 || last == 0x09 { removeLast() }
    }
}

/// Whether the slice holds exactly `bytes` (compared with memcmp).
func sameBytes(_ slice: ArraySlice<UInt8>, _ bytes: [UInt8]) -> Bool {
    guard slice.count == bytes.count else { return false }
    return slice.withUnsafeBufferPointer { a in
        bytes.withUnsafeBufferPointer { b in
            guard let x = a.baseAddress, let y = b.baseAddress else { return true }
            return memcmp(x, y, a.count) == 0
        }
    }
}

extension Collection where Element == UInt8 {
    /// The bytes with every run of spaces and tabs replaced by one space (for `ws`).
    var collapsingBlankRuns: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var inRun = false
        for byte in self {
            if byte == 0x20 || byte == 0x09 {
                if !inRun { out.append(0x20) }
                inRun = true
            } else {
                out.append(byte)
                inRun = false
            }
        }
        return out
    }
}

/// `items` without the blank ones at the start and the end.
func trimmingBlankEnds<T>(_ items: [T], isBlank: (T) -> Bool) -> [T] {
    guard let first = items.firstIndex(where: { !isBlank($0) }),
          let last = items.lastIndex(where: { !isBlank($0) }) else { return [] }
    return Array(items[first...last])
}
