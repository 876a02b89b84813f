import CPCRE2

/// A pattern PCRE2 could not compile: its message and the byte offset in the pattern where it failed.
public struct RegexError: Error, Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    /// PCRE2's error code.
    public let code: Int32
    /// Byte offset into the pattern at which PCRE2 stopped.
    public let offset: Int
    /// PCRE2's own message, e.g. "missing closing parenthesis".
    public let message: String

    public init(pattern: String, code: Int32, offset: Int) {
        self.pattern = pattern
        self.code = code
        self.offset = offset
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        self.message = n > 0 ? String(decoding: buffer.prefix(Int(n)), as: UTF8.self) : "error \(code)"
    }

    /// The offset counted in characters of the pattern (for columns in a source line).
    public var characterOffset: Int {
        let utf8 = Array(pattern.utf8)
        let prefix = utf8.prefix(min(offset, utf8.count))
        return String(decoding: prefix, as: UTF8.self).count
    }

    public var description: String {
        "\(message) at offset \(offset) of /\(pattern)/"
    }
}
