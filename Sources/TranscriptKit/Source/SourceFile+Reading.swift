import Foundation

extension SourceFile {
    /// Where the first byte that is not part of valid UTF-8 lies: its 1-based line, its 1-based
    /// column (counted in characters before it on that line, as columns are everywhere else),
    /// and the byte itself; nil when `data` is valid UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int, byte: UInt8)? {
        let bytes = [UInt8](data)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
                continue
            }
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else {
                let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).count + 1
                return (line, column, byte)
            }
            index += length
        }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
    /// nothing above U+10FFFF) starting at `index` with a non-ASCII byte, or 0 when there is none.
    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            let range = offset == 1 ? low...high : 0x80...0xBF
            guard range.contains(continuation) else { return 0 }
        }
        return length
    }

    /// The error for a file that is not UTF-8, at its first bad byte.
    static func notUTF8(path: String, data: Data) -> Diagnostic {
        let at = firstInvalidUTF8(in: data) ?? (line: 1, column: 1, byte: 0)
        let hex = String(at.byte, radix: 16, uppercase: false)
        return Diagnostic(file: path, line: at.line, column: at.column,
                          message: "the file is not UTF-8: byte 0x\(hex.count < 2 ? "0" + hex : hex) here is not part of a UTF-8 character",
                          help: "save the file as UTF-8; write bytes that are not text in expected output with the (esc) annotation")
    }

    /// Why `path` cannot be read, in the system's words.
    static func unreadableReason(_ absolute: String) -> String {
        var status = stat()
        if stat(absolute, &status) != 0 { return String(cString: strerror(errno)) }
        if (status.st_mode & S_IFMT) == S_IFDIR { return "it is a directory" }
        let descriptor = open(absolute, O_RDONLY)
        if descriptor < 0 { return String(cString: strerror(errno)) }
        close(descriptor)
        return "it could not be read"
    }
}
