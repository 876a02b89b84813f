/// The YAML front matter of a scrut document (between `---` lines at its start): `shell`,
/// `total_timeout`, and `defaults` for every test case; `append` and `prepend` (other documents
/// run around this one) are not supported and say so.
struct ScrutFrontMatter {
    let source: SourceFile
    var options = Options()
    var defaults = ScrutCaseReader()
    var problems: [Diagnostic] = []

    static let keys = ["shell", "total_timeout", "defaults", "append", "prepend"]

    mutating func read() {
        options.environment = .scrut
        options.skipExit = 80
        options.shell = "/bin/bash"
        guard source.lines.first == "---" else { return }
        var number = 2
        while number <= source.lines.count, source.line(number) != "---" {
            let line = source.line(number)
            number += 1
            guard !line.hasPrefix(" "), !line.hasPrefix("#"), !line.trimmingWhitespace.isEmpty,
                  let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = unquoted(String(line[line.index(after: colon)...]).trimmingWhitespace)
            switch key {
            case "shell": options.shell = value
            case "total_timeout": break
            case "defaults": number = readDefaults(from: number)
            case "append", "prepend":
                fail(number - 1, 1, "\(key) (documents run around this one) is not supported",
                     "run those documents as files of their own, before or after this one")
            default:
                fail(number - 1, 1, "unknown front matter key '\(key)'", "keys are " + Self.keys.joined(separator: ", "))
            }
        }
    }

    /// The indented `key: value` lines under `defaults:` (an `environment:` one level deeper).
    private mutating func readDefaults(from start: Int) -> Int {
        var number = start
        var environment: [(String, FlowValue)]?
        while number <= source.lines.count, source.line(number).hasPrefix(" ") {
            let line = source.line(number)
            let depth = line.prefix { $0 == " " }.count
            let body = line.trimmingWhitespace
            number += 1
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = String(body[..<colon])
            let value = unquoted(String(body[body.index(after: colon)...]).trimmingWhitespace)
            if environment != nil, depth > 2 {
                environment?.append((key, .text(value)))
                continue
            }
            if let pairs = environment { apply("environment", .map(pairs), line: number - 1) }
            environment = nil
            if key == "environment", value.isEmpty {
                environment = []
            } else if value.hasPrefix("{") {
                var flow = FlowReader(value)
                if case .success(let pairs) = flow.mapping() { apply(key, .map(pairs.map { ($0.key, $0.value) }), line: number - 1) }
            } else {
                apply(key, .text(value), line: number - 1)
            }
        }
        if let pairs = environment { apply("environment", .map(pairs), line: number - 1) }
        return number
    }

    private mutating func apply(_ key: String, _ value: FlowValue, line: Int) {
        if let (message, help) = defaults.apply(key, value) { fail(line, 1, message, help) }
    }

    private func unquoted(_ text: String) -> String {
        guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else { return text }
        return String(text.dropFirst().dropLast())
    }

    private mutating func fail(_ line: Int, _ column: Int, _ message: String, _ help: String) {
        problems.append(Diagnostic(file: source.path, line: line, column: column, message: message, help: help))
    }
}
