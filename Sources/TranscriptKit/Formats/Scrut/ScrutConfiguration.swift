/// A scrut test case's configuration, from its fence's `{key: value, ...}` (YAML's flow
/// mapping) or the front matter's `defaults`, and what it does to the command as it runs.
package struct ScrutCase: Sendable, Hashable {
    package enum Stream: String, Sendable, Hashable { case stdout, stderr, combined }
    package var stream: Stream?
    package var environment: [String: String]?
    /// `wait`: how long to wait before the command, and the path whose existence ends it early.
    package var wait: Duration?
    package var waitPath: String?
    package var detached: Bool?

    package init(stream: Stream? = nil) {
        self.stream = stream
    }

    /// These settings, each unset one taken from `base`.
    func merged(over base: ScrutCase) -> ScrutCase {
        var out = self
        out.stream = stream ?? base.stream
        out.environment = environment ?? base.environment
        out.wait = wait ?? base.wait
        out.waitPath = waitPath ?? base.waitPath
        out.detached = detached ?? base.detached
        return out
    }

    /// `command` as it runs: SCRUT_TEST (`test`, the file and line, when given), the
    /// `preparation`, then the command with only the chosen stream kept (both by default).
    package func wrapping(_ command: String, test: String?) -> String {
        var text = test.map { "export SCRUT_TEST=\(shellQuote($0))\n" } ?? ""
        for line in preparation { text += line + "\n" }
        // An empty command keeps no stream: it would leave bash an empty `{ }`.
        if command.trimmingWhitespace.isEmpty { return text + command }
        switch stream ?? .combined {
        case .combined: return text + command
        case .stdout: return text + "{ " + command + "\n} 2>/dev/null"
        case .stderr: return text + "{ " + command + "\n} 2>&1 >/dev/null"
        }
    }

    /// The shell commands that run before the test case's own: its variables exported, then
    /// its wait (a sleep, or a poll for the path it names).
    var preparation: [String] {
        var lines = (environment ?? [:]).sorted(by: { $0.key < $1.key }).map { "export \($0.key)=\(shellQuote($0.value))" }
        if let wait {
            let tenths = max(1, Int(wait.seconds * 10))
            if let waitPath {
                lines.append("for _ in $(seq \(tenths)); do [ -e \(shellQuote(waitPath)) ] && break; sleep 0.1; done")
            } else {
                lines.append("sleep \(wait.seconds)")
            }
        }
        return lines
    }
}

/// The keys of a test case's configuration: each applies to the block's options and case.
struct ScrutCaseReader {
    static let keys = ["timeout", "environment", "output_stream", "keep_crlf", "wait", "detached", "detached_kill_signal",
                       "skip_document_code", "strip_ansi_escaping", "mode"]
    /// scrut's validation modes; `output` (comparing the output's lines) is the one this harness has.
    static let modes = ["output", "jsonschema", "interactive"]

    var options = Options()
    var scrutCase = ScrutCase()
    var keepCRLF: Bool?

    /// Applies `key: value`; an error message (with a help) when it cannot.
    mutating func apply(_ key: String, _ value: FlowValue) -> (String, String)? {
        switch (key, value) {
        case ("timeout", .text(let text)):
            guard let duration = Duration.parse(transcript: text.replacingOccurrences(of: " ", with: "")) else {
                return ("'\(text)' is not a duration", "write a duration such as 500ms, 10s or 2m")
            }
            options.timeout = duration
        case ("environment", .map(let pairs)):
            var environment: [String: String] = [:]
            for (name, item) in pairs {
                guard case .text(let text) = item else { return ("environment values must be strings", "write {NAME: \"value\"}") }
                environment[name] = text
            }
            scrutCase.environment = environment
        case ("output_stream", .text(let text)):
            guard let stream = ScrutCase.Stream(rawValue: text) else { return ("unknown output_stream '\(text)'", "write stdout, stderr or combined") }
            scrutCase.stream = stream
        case ("keep_crlf", .text(let text)), ("detached", .text(let text)), ("strip_ansi_escaping", .text(let text)):
            guard text == "true" || text == "false" else { return ("'\(key)' takes true or false", "write \(key): true") }
            if key == "keep_crlf" { keepCRLF = text == "true" }
            if key == "detached" { scrutCase.detached = text == "true" }
            if key == "strip_ansi_escaping", text == "true" {
                return ("strip_ansi_escaping is not supported", "compare the escape sequences with an (escaped) line")
            }
        case ("detached_kill_signal", .text): break
        case ("mode", .text(let text)):
            guard Self.modes.contains(text) else { return ("unknown mode '\(text)'", "scrut's modes are " + Self.modes.joined(separator: ", ")) }
            if text != "output" {
                return ("scrut's \(text) mode is not supported: a test case's output is compared line by line here",
                        "write the output the command prints as the block's expected lines, or leave this test case to scrut")
            }
        case ("skip_document_code", .text(let text)):
            guard let status = Int32(text), (1...255).contains(status) else { return ("'\(text)' is not an exit status", "write a status from 1 to 255") }
            options.skipExit = status
        case ("wait", .text(let text)):
            guard let duration = Duration.parse(transcript: text) else { return ("'\(text)' is not a duration", "write wait: 10s") }
            scrutCase.wait = duration
        case ("wait", .map(let pairs)):
            for (name, item) in pairs {
                guard case .text(let text) = item else { return ("wait takes timeout and path", "write {timeout: 10s, path: file}") }
                if name == "timeout" { scrutCase.wait = Duration.parse(transcript: text) }
                else if name == "path" { scrutCase.waitPath = text }
                else { return ("unknown key '\(name)' in wait", "wait takes timeout and path") }
            }
        default:
            if !Self.keys.contains(key) {
                return ("unknown configuration key '\(key)'", closestName(to: key, among: Self.keys).map { "did you mean '\($0)'?" }
                    ?? "keys are " + Self.keys.joined(separator: ", "))
            }
            return ("'\(key)' cannot take this value", "see scrut's inline configuration")
        }
        return nil
    }
}

/// A value of a YAML flow mapping, as far as scrut's configuration uses one.
enum FlowValue: Equatable {
    case text(String)
    case map([(String, FlowValue)])

    static func == (a: FlowValue, b: FlowValue) -> Bool {
        switch (a, b) {
        case (.text(let x), .text(let y)): return x == y
        case (.map(let x), .map(let y)): return x.map(\.0) == y.map(\.0) && zip(x, y).allSatisfy { $0.1 == $1.1 }
        default: return false
        }
    }
}

/// Where a flow mapping stops being one.
struct FlowError: Error {
    var offset: Int
}

/// Reads `{key: value, key: {key: value}}`, with quoted or bare keys and scalars.
struct FlowReader {
    let chars: [Character]
    var index = 0

    init(_ text: String) { chars = Array(text) }

    mutating func skipBlanks() { while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 } }

    /// The mapping at `index`, each key with the offset where it starts; nil (with the offset
    /// of the trouble) when it is not one.
    mutating func mapping() -> Result<[(key: String, offset: Int, value: FlowValue)], FlowError> {
        skipBlanks()
        guard index < chars.count, chars[index] == "{" else { return .failure(FlowError(offset: index)) }
        index += 1
        var pairs: [(key: String, offset: Int, value: FlowValue)] = []
        while true {
            skipBlanks()
            if index < chars.count, chars[index] == "}" { index += 1; return .success(pairs) }
            let offset = index
            guard let key = scalar(), index < chars.count, chars[index] == ":" else { return .failure(FlowError(offset: index)) }
            index += 1
            skipBlanks()
            let value: FlowValue
            if index < chars.count, chars[index] == "{" {
                guard case .success(let inner) = mapping() else { return .failure(FlowError(offset: index)) }
                value = .map(inner.map { ($0.key, $0.value) })
            } else {
                guard let text = scalar() else { return .failure(FlowError(offset: index)) }
                value = .text(text)
            }
            pairs.append((key, offset, value))
            skipBlanks()
            if index < chars.count, chars[index] == "," { index += 1; continue }
            if index < chars.count, chars[index] == "}" { index += 1; return .success(pairs) }
            return .failure(FlowError(offset: index))
        }
    }

    /// A quoted string, or bare text up to `:`, `,` or `}`.
    mutating func scalar() -> String? {
        skipBlanks()
        guard index < chars.count else { return nil }
        if chars[index] == "\"" || chars[index] == "'" {
            let quote = chars[index]
            index += 1
            var text = ""
            while index < chars.count, chars[index] != quote {
                // YAML's escapes in double quotes: `\n` and `\t`; any other character stands for itself.
                if chars[index] == "\\", quote == "\"", index + 1 < chars.count {
                    index += 1
                    text.append(["n": "\n", "t": "\t"][chars[index]] ?? chars[index])
                } else {
                    text.append(chars[index])
                }
                index += 1
            }
            guard index < chars.count else { return nil }
            index += 1
            skipBlanks()
            return text
        }
        var text = ""
        while index < chars.count, !":,}".contains(chars[index]) { text.append(chars[index]); index += 1 }
        let trimmed = text.trimmingWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }
}
