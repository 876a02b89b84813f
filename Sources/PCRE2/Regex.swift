import CPCRE2

/// A compiled PCRE2 pattern (8-bit code units, UTF-8), JIT-compiled when the platform allows it.
///
/// The compiled code is immutable after construction and PCRE2 allows it to be shared between
/// threads; each match allocates its own match data.
public final class Regex: @unchecked Sendable {
    /// Compile-time options, a subset of PCRE2's.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// The match must start at the start of the subject.
        public static let anchored = Options(rawValue: UInt32(PCRE2_ANCHORED))
        /// The match must end at the end of the subject.
        public static let endAnchored = Options(rawValue: UInt32(PCRE2_ENDANCHORED))
        /// Treat pattern and subject as UTF-8; invalid UTF-8 in a subject never matches a character.
        public static let utf = Options(rawValue: UInt32(PCRE2_UTF) | UInt32(PCRE2_MATCH_INVALID_UTF))
        public static let caseless = Options(rawValue: UInt32(PCRE2_CASELESS))
        public static let multiline = Options(rawValue: UInt32(PCRE2_MULTILINE))
        public static let dotAll = Options(rawValue: UInt32(PCRE2_DOTALL))

        /// Whole-subject matching over UTF-8 text: what a line pattern needs.
        public static let wholeLine: Options = [.anchored, .endAnchored, .utf]
    }

    /// The pattern's source text.
    public let pattern: String
    public let options: Options
    /// Whether PCRE2's JIT compiled this pattern.
    public let isJITCompiled: Bool
    /// The number of capturing groups in the pattern.
    public let captureCount: Int

    private let code: OpaquePointer

    /// Compiles `pattern`; `jit: false` skips JIT compilation for a pattern used once.
    public init(_ pattern: String, options: Options = [.utf], jit: Bool = true) throws(RegexError) {
        self.pattern = pattern
        self.options = options
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(pattern.utf8)
        let compiled: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(
                buffer.baseAddress ?? UnsafePointer(bitPattern: 1),
                buffer.count,
                options.rawValue,
                &errorCode,
                &errorOffset,
                nil
            )
        }
        guard let compiled else {
            throw RegexError(pattern: pattern, code: errorCode, offset: errorOffset)
        }
        self.code = compiled
        self.isJITCompiled = jit && pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.captureCount = Int(count)
    }

    deinit {
        pcre2_code_free_8(code)
    }

    /// The group number of a named group, if the pattern has one of that name.
    public func groupNumber(named name: String) -> Int? {
        let n = name.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: name.utf8.count + 1) {
                pcre2_substring_number_from_name_8(code, $0)
            }
        }
        return n > 0 ? Int(n) : nil
    }

    /// Matches against `subject`, returning the byte ranges of the match and of each group.
    public func firstMatch(in subject: String) -> Match? {
        var subject = subject
        return subject.withUTF8 { firstMatch(in: $0) }
    }

    /// Matches against UTF-8 (or arbitrary) bytes.
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>) -> Match? {
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
        defer { pcre2_match_data_free_8(data) }
        let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1)
        let rc = pcre2_match_8(code, base, subject.count, 0, 0, data, nil)
        guard rc > 0 else { return nil }
        let pairs = Int(pcre2_get_ovector_count_8(data))
        guard let vector = pcre2_get_ovector_pointer_8(data) else { return nil }
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(captureCount + 1)
        let unset = cpcre2_unset()
        for group in 0...captureCount {
            if group < pairs, vector[2 * group] != unset, vector[2 * group + 1] != unset,
               vector[2 * group] <= vector[2 * group + 1] {
                ranges.append(Int(vector[2 * group])..<Int(vector[2 * group + 1]))
            } else {
                ranges.append(nil)
            }
        }
        return Match(ranges: ranges)
    }

    /// Whether the pattern matches `subject` (anywhere, unless compiled anchored).
    public func matches(_ subject: String) -> Bool {
        firstMatch(in: subject) != nil
    }

    /// Whether the pattern matches the bytes.
    public func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let data = pcre2_match_data_create_8(1, nil) else { return false }
        defer { pcre2_match_data_free_8(data) }
        let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1)
        // 0: a match whose groups did not fit the one-pair match data, still a match.
        return pcre2_match_8(code, base, subject.count, 0, 0, data, nil) >= 0
    }

    /// `text` with every PCRE2 metacharacter escaped, so that it matches itself literally.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}", "/", "-", "#", " ":
                out.append("\\")
                out.unicodeScalars.append(scalar)
            case "\0":
                out += "\\x{0}"
            case "\n":
                out += "\\n"
            case "\r":
                out += "\\r"
            case "\t":
                out += "\\t"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The PCRE2 library version, e.g. "10.42 2022-12-11".
    public static var libraryVersion: String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), &buffer)
        guard n > 0 else { return "unknown" }
        return String(decoding: buffer.prefix(Int(n) - 1), as: UTF8.self)
    }
}

/// The result of a successful match: byte ranges into the subject, group 0 being the whole match.
public struct Match: Sendable, Hashable {
    public let ranges: [Range<Int>?]

    /// The whole match.
    public var range: Range<Int> { ranges[0] ?? 0..<0 }

    /// The byte range of group `n`, or nil when it did not participate.
    public subscript(group n: Int) -> Range<Int>? {
        n < ranges.count ? ranges[n] : nil
    }
}
