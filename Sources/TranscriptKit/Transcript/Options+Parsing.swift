/// Parsing of option text as written in `<!-- transcript: ... -->`, `<!-- transcript-file: ... -->`
/// and the configuration file's `options` key: words separated by white space, each `NAME`,
/// `NAME=VALUE` or `NAME="VALUE"` (with `\"` and `\\` inside quotes).
extension Options {
    /// The names every option parser accepts, for suggestions.
    package static let names = ["skip", "exact", "ws", "unordered", "timeout", "requires", "diverges", "ignore-exit", "examples", "terminal", "background", "as-written"]

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
        let chars = Array(text)
        var i = 0
        func fail(_ offset: Int, _ message: String, _ help: String? = nil) -> Diagnostic {
            Diagnostic(file: file, line: line, column: column + offset, message: message, help: help)
        }
        while i < chars.count {
            if chars[i] == " " || chars[i] == "\t" || chars[i] == "\n" { i += 1; continue }
            let start = i
            var name = ""
            while i < chars.count, chars[i] != "=", chars[i] != " ", chars[i] != "\t", chars[i] != "\n" {
                name.append(chars[i]); i += 1
            }
            if name.isEmpty {
                throw fail(start, "'=' with no option name before it", "write NAME=VALUE without spaces around '='")
            }
            var value: String?
            var next = i
            while next < chars.count, chars[next] == " " || chars[next] == "\t" { next += 1 }
            if next > i, next < chars.count, chars[next] == "=" {
                throw fail(start, "a space between option '\(name)' and its '='", "write \(name)=VALUE without spaces around '='")
            }
            if i < chars.count, chars[i] == "=" {
                i += 1
                if i == chars.count || chars[i] == " " || chars[i] == "\t" || chars[i] == "\n" {
                    throw fail(start, "option '\(name)' has '=' but no value", "write \(name)=VALUE without spaces around '='")
                }
                var v = ""
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    var closed = false
                    while i < chars.count {
                        if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                            v.append(chars[i + 1]); i += 2; continue
                        }
                        if chars[i] == "\"" { closed = true; i += 1; break }
                        v.append(chars[i]); i += 1
                    }
                    if !closed {
                        throw fail(start, "the quoted value of option '\(name)' is not closed", "end the value with a double quote")
                    }
                } else {
                    while i < chars.count, chars[i] != " ", chars[i] != "\t", chars[i] != "\n" { v.append(chars[i]); i += 1 }
                }
                value = v
            }
            func needValue() throws(Diagnostic) -> String {
                guard let value, !value.isEmpty else {
                    throw fail(start, "option '\(name)' needs a value", "write it as \(name)=VALUE")
                }
                return value
            }
            func noValue() throws(Diagnostic) {
                if value != nil { throw fail(start, "option '\(name)' takes no value", "write just '\(name)'") }
            }
            switch name {
            case "skip":
                options.skip = SkipReason(value)
            case "exact":
                try noValue(); options.exact = true
            case "ws":
                try noValue(); options.ws = true
            case "unordered":
                try noValue(); options.unordered = true
            case "ignore-exit":
                try noValue(); options.ignoreExit = true
            case "terminal":
                try noValue(); options.terminal = true
            case "background":
                try noValue(); options.background = true
            case "as-written":
                try noValue(); options.asWritten = true
            case "timeout":
                let v = try needValue()
                guard let d = Duration.parse(transcript: v) else {
                    throw fail(start, "'\(v)' is not a duration", "write a duration such as 500ms, 30s or 2m")
                }
                options.timeout = d
            case "diverges":
                let v = try needValue()
                options.diverges = v
            case "requires":
                let v = try needValue()
                var features: [Feature] = []
                for word in v.split(separator: ",", omittingEmptySubsequences: false) {
                    let w = String(word).trimmingWhitespace
                    switch w {
                    case "":
                        throw fail(start, "an empty feature in requires=", "separate features with commas alone, no spaces: requires=linux,root")
                    case "linux": features.append(.linux)
                    case "root": features.append(.root)
                    case "network": features.append(.network)
                    default:
                        if let engine = EngineRegistry.feature(w) {
                            features.append(engine)
                        } else if w.hasPrefix("cmd:"), w.count > 4 {
                            features.append(.command(String(w.dropFirst(4))))
                        } else {
                            throw fail(start, "unknown feature '\(w)' in requires=", featureHint)
                        }
                    }
                }
                options.requires = features
            case "examples":
                let v = try needValue()
                var kinds: [String] = []
                for word in v.split(separator: ",", omittingEmptySubsequences: false) {
                    let w = String(word).trimmingWhitespace
                    if w.isEmpty {
                        throw fail(start, "an empty kind in examples=", "separate kinds with commas alone, no spaces: examples=short-id,id")
                    } else if w == "docker" {
                        kinds += dockerExampleKinds
                    } else if exampleKinds.contains(w) {
                        kinds.append(w)
                    } else {
                        throw fail(start, "unknown example kind '\(w)'", "kinds are docker, " + exampleKinds.joined(separator: ", "))
                    }
                }
                var seen = Set<String>()
                options.examples = kinds.filter { seen.insert($0).inserted }
            default:
                let suggestion = closestName(to: name, among: names)
                throw fail(start, "unknown option '\(name)'",
                           suggestion.map { "did you mean '\($0)'?" } ?? "options are " + names.joined(separator: ", "))
            }
        }
        return options
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
