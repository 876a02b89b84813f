/// Parsing of option text as written in `<!-- transcript: ... -->`, `<!-- transcript-file: ... -->`
/// and the configuration file's `options` key: words separated by white space, each `NAME`,
/// `NAME=VALUE` or `NAME="VALUE"` (with `\"` and `\\` inside quotes).
extension Options {
    /// The names every option parser accepts, for suggestions.
    package static let names = ["skip", "exact", "ws", "unordered", "timeout", "requires", "diverges", "ignore-exit", "examples", "terminal", "background", "as-written",
                                "skip-exit", "environment", "shell", "stream", "crlf"]

    /// What `requires=` accepts: "features are docker, docker>=VERSION, linux, root and cmd:NAME".
    static var featureHint: String {
        "features are " + (EngineRegistry.featureWords + ["linux", "root", "network"]).joined(separator: ", ") + " and cmd:NAME"
    }

    /// The pattern kinds `examples=` accepts.
    package static let exampleKinds = ["short-id", "id", "sha256", "uuid", "name", "ago", "size", "status", "duration", "timestamp",
                                       "human-size", "byte-count", "ls-date", "zoned-time", "percent", "cut-id"]

    /// Parses `text`; `column` is the 1-based column of its first character in `line` of `file`,
    /// so that errors point at the offending word.
    package static func parse(_ text: String, file: String, line: Int, column: Int) throws(Diagnostic) -> Options {
        var options = Options()
        var reader = OptionTextReader(text: text, file: file, line: line, column: column)
        while let word = try reader.next() {
            try options.apply(word)
        }
        return options
    }

    /// Sets the option `word` names.
    private mutating func apply(_ word: OptionWord) throws(Diagnostic) {
        switch word.name {
        case "skip": skip = SkipReason(word.value)
        case "exact": try word.noValue(); exact = true
        case "ws": try word.noValue(); ws = true
        case "unordered": try word.noValue(); unordered = true
        case "ignore-exit": try word.noValue(); ignoreExit = true
        case "terminal": try word.noValue(); terminal = true
        case "background": try word.noValue(); background = true
        case "as-written": try word.noValue(); asWritten = true
        case "timeout":
            let v = try word.needValue()
            guard let d = Duration.parse(transcript: v) else {
                throw word.fail("'\(v)' is not a duration", "write a duration such as 500ms, 30s or 2m")
            }
            timeout = d
        case "diverges": diverges = try word.needValue()
        case let name where name.hasPrefix("diverges."):
            let engine = String(name.dropFirst("diverges.".count))
            guard EngineRegistry.names.contains(engine) else {
                throw word.fail("unknown engine '\(engine)' in \(name)=",
                                "engines are " + EngineRegistry.names.joined(separator: ", ") + ": write diverges.ENGINE=\"reason\"")
            }
            engineDiverges = (engineDiverges ?? [:]).merging([engine: try word.needValue()]) { $1 }
        case "requires": requires = try Self.features(word)
        case "examples": examples = try Self.kinds(word)
        case "skip-exit":
            let v = try word.needValue()
            guard let status = Int32(v), (1...255).contains(status) else {
                throw word.fail("'\(v)' is not an exit status", "write a status from 1 to 255, e.g. skip-exit=80")
            }
            skipExit = status
        case "environment":
            let v = try word.needValue()
            guard let style = EnvironmentStyle(rawValue: v) else {
                throw word.fail("unknown environment '\(v)'", "environments are " + EnvironmentStyle.allCases.map(\.rawValue).joined(separator: ", "))
            }
            environment = style
        case "shell": shell = try word.needValue()
        case "stream":
            let v = try word.needValue()
            guard let stream = ScrutCase.Stream(rawValue: v) else {
                throw word.fail("unknown stream '\(v)'", "write stream=stdout, stream=stderr or stream=combined")
            }
            scrutCase = ScrutCase(stream: stream)
        case "crlf":
            let v = try word.needValue()
            guard v == "lf" || v == "keep" else { throw word.fail("crlf= takes lf or keep", "write crlf=lf to read CR LF as LF") }
            crlfAsLF = v == "lf"
        default:
            let suggestion = closestName(to: word.name, among: Self.names)
            throw word.fail("unknown option '\(word.name)'",
                            suggestion.map { "did you mean '\($0)'?" } ?? "options are " + Self.names.joined(separator: ", "))
        }
    }

    /// The features of `requires=FEATURE,...`.
    private static func features(_ word: OptionWord) throws(Diagnostic) -> [Feature] {
        var features: [Feature] = []
        for item in try word.needValue().split(separator: ",", omittingEmptySubsequences: false) {
            let w = String(item).trimmingWhitespace
            switch w {
            case "":
                throw word.fail("an empty feature in requires=", "separate features with commas alone, no spaces: requires=linux,root")
            case "linux": features.append(.linux)
            case "root": features.append(.root)
            case "network": features.append(.network)
            default:
                if let engine = EngineRegistry.feature(w) {
                    features.append(engine)
                } else if w.hasPrefix("cmd:"), w.count > 4 {
                    features.append(.command(String(w.dropFirst(4))))
                } else {
                    throw word.fail("unknown feature '\(w)' in requires=", featureHint)
                }
            }
        }
        return features
    }

    /// The kinds of `examples=KIND,...`, with `docker` expanded and repeats dropped.
    private static func kinds(_ word: OptionWord) throws(Diagnostic) -> [String] {
        var kinds: [String] = []
        for item in try word.needValue().split(separator: ",", omittingEmptySubsequences: false) {
            let w = String(item).trimmingWhitespace
            if w.isEmpty {
                throw word.fail("an empty kind in examples=", "separate kinds with commas alone, no spaces: examples=short-id,id")
            } else if w == "docker" {
                kinds += dockerExampleKinds
            } else if exampleKinds.contains(w) {
                kinds.append(w)
            } else {
                throw word.fail("unknown example kind '\(w)'", "kinds are docker, " + exampleKinds.joined(separator: ", "))
            }
        }
        var seen = Set<String>()
        return kinds.filter { seen.insert($0).inserted }
    }
}

/// One word of option text: `NAME`, `NAME=VALUE` or `NAME="VALUE"`, and where it starts.
struct OptionWord {
    var name: String
    var value: String?
    /// Where errors about it point.
    var file: String
    var line: Int
    var column: Int

    func fail(_ message: String, _ help: String? = nil) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column, message: message, help: help)
    }

    func needValue() throws(Diagnostic) -> String {
        guard let value, !value.isEmpty else { throw fail("option '\(name)' needs a value", "write it as \(name)=VALUE") }
        return value
    }

    func noValue() throws(Diagnostic) {
        if value != nil { throw fail("option '\(name)' takes no value", "write just '\(name)'") }
    }
}

/// Reads option text word by word.
struct OptionTextReader {
    private let chars: [Character]
    private var i = 0
    let file: String
    let line: Int
    let column: Int

    init(text: String, file: String, line: Int, column: Int) {
        chars = Array(text)
        self.file = file
        self.line = line
        self.column = column
    }

    private func isBlank(_ at: Int) -> Bool { chars[at] == " " || chars[at] == "\t" || chars[at] == "\n" }

    private func fail(_ offset: Int, _ message: String, _ help: String) -> Diagnostic {
        Diagnostic(file: file, line: line, column: column + offset, message: message, help: help)
    }

    /// The next word, or nil at the end.
    mutating func next() throws(Diagnostic) -> OptionWord? {
        while i < chars.count, isBlank(i) { i += 1 }
        guard i < chars.count else { return nil }
        let start = i
        var name = ""
        while i < chars.count, chars[i] != "=", !isBlank(i) { name.append(chars[i]); i += 1 }
        if name.isEmpty { throw fail(start, "'=' with no option name before it", "write NAME=VALUE without spaces around '='") }
        var ahead = i
        while ahead < chars.count, chars[ahead] == " " || chars[ahead] == "\t" { ahead += 1 }
        if ahead > i, ahead < chars.count, chars[ahead] == "=" {
            throw fail(start, "a space between option '\(name)' and its '='", "write \(name)=VALUE without spaces around '='")
        }
        var word = OptionWord(name: name, value: nil, file: file, line: line, column: column + start)
        if i < chars.count, chars[i] == "=" {
            i += 1
            if i == chars.count || isBlank(i) {
                throw fail(start, "option '\(name)' has '=' but no value", "write \(name)=VALUE without spaces around '='")
            }
            word.value = chars[i] == "\"" ? try quotedValue(of: name, start: start) : plainValue()
        }
        return word
    }

    /// A value up to the next blank.
    private mutating func plainValue() -> String {
        var value = ""
        while i < chars.count, !isBlank(i) { value.append(chars[i]); i += 1 }
        return value
    }

    /// A value in double quotes (at `i`), with `\"` and `\\` inside.
    private mutating func quotedValue(of name: String, start: Int) throws(Diagnostic) -> String {
        i += 1
        var value = ""
        while i < chars.count {
            if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                value.append(chars[i + 1])
                i += 2
                continue
            }
            if chars[i] == "\"" {
                i += 1
                return value
            }
            value.append(chars[i])
            i += 1
        }
        throw fail(start, "the quoted value of option '\(name)' is not closed", "end the value with a double quote")
    }
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
package func closestName(to name: String, among candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(name, candidate)
        if d <= max(2, name.count / 3), d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
}

/// Levenshtein distance over characters.
package func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    package var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension Duration {
    /// Parses a Go-style duration as written in transcripts: `500ms`, `30s`, `2m`, `1h`, `1.5s`, `2m30s`.
    /// Only a limit that can be met: at least a nanosecond, under about 30 years.
    package static func parse(transcript text: String) -> Duration? {
        let chars = Array(text)
        guard !chars.isEmpty else { return nil }
        var i = 0
        var total = 0.0
        while i < chars.count {
            var number = ""
            while i < chars.count, chars[i].isNumber || chars[i] == "." { number.append(chars[i]); i += 1 }
            guard let value = Double(number) else { return nil }
            var unit = ""
            while i < chars.count, chars[i].isLetter || chars[i] == "µ" { unit.append(chars[i]); i += 1 }
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += value * scale
        }
        // A limit of nothing cannot be met: zero is not a duration here.
        guard total * 1e9 >= 1, total < 1e9 else { return nil }
        return .nanoseconds(Int64(total * 1e9))
    }

    /// Seconds as a Double.
    package var seconds: Double {
        let (s, attos) = components
        return Double(s) + Double(attos) / 1e18
    }
}
