import Foundation
import TOMLKit

/// The settings of a `transcript.toml` file (FORMAT.md section 6), already validated.
package struct Configuration: Sendable {
    /// The file it came from, or nil for the built-in defaults.
    package var path: String?
    package var shell: String?
    /// `[cram]`: how `.t` files run.
    package var cram = CramSettings()
    package var timeout: Duration?
    /// Default options, as in a `transcript-file` comment.
    package var options = Options()
    package var environment: [String: String] = [:]
    /// Named patterns defined by the file, with the line each is defined on.
    package var patterns: [String: String] = [:]
    package var patternLines: [String: Int] = [:]
    /// Where each named pattern is written, for errors that point at its character.
    package var patternPositions: [String: ConfigurationPosition] = [:]
    /// Each engine's section (`[docker]`), as the engine parsed it, by engine name.
    package var engineSettings: [String: any Sendable] = [:]
    /// `[terminal] prompts`: the in-session prompts, instead of `SessionPrompt.defaults`.
    package var terminalPrompts: [SessionPrompt]?
    /// Prompt shapes besides the built-in ones (`prompts`), see `PromptShapes`.
    package var prompts: [String] = []
    /// `engines = ["docker", "podman"]`: the engine kinds each engine-requiring file runs on
    /// (a matrix); nil: each requirement's own kind.
    package var engines: [String]?
    /// `[report] source_url`: where the conformance reports link a block's line to, with
    /// `{path}` and `{line}` (see `Configuration+Report`); nil: the local file.
    package var sourceURL: String?

    package init() {}

    /// Reads and validates `path`; every problem names the file and line.
    package static func load(path: String) throws(Diagnostics) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Diagnostics([Diagnostic(file: path, line: 0, column: 0, message: "cannot read the configuration file")])
        }
        return try parse(text, path: path)
    }

    /// The top-level keys: the format's own, then one section per engine.
    static var topKeys: [String] { ["shell", "timeout", "options", "env", "patterns", "terminal", "prompts", "engines", "cram", "report"] + EngineRegistry.names }

    /// Parses configuration text; `alsoAllowed` are further top-level keys another reader of the
    /// same text handles (a sidecar's `document` entries).
    package static func parse(_ text: String, path: String, alsoAllowed: [String] = []) throws(Diagnostics) -> Configuration {
        let table = try parseTOML(text, path: path)
        var reader = ConfigurationReader(table: table, section: nil, path: path, locator: KeyLocator(text: text))
        var config = Configuration()
        config.path = path
        reader.rejectUnknownKeys(allowed: topKeys + alsoAllowed)
        config.readScalars(&reader)
        config.readTables(&reader)
        config.readEngineSections(&reader)
        config.readTerminalSection(&reader)
        config.readCramSection(&reader)
        config.readReportSection(&reader)
        config.readPrompts(&reader)
        config.readEngines(&reader)
        config.checkShell(&reader)
        if !reader.problems.isEmpty { throw Diagnostics(reader.problems.sorted { $0.line < $1.line }) }
        return config
    }

    /// The TOML table of `text`, or its syntax error as a diagnostic.
    static func parseTOML(_ text: String, path: String) throws(Diagnostics) -> TOMLTable {
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let help = error.description.contains("redefine")
                ? "a key may be set only once in a table: remove one of them"
                : "fix the TOML syntax here: key = \"value\" lines under [table] headers (https://toml.io)"
            throw Diagnostics([Diagnostic(file: path, line: error.source.begin.line, column: error.source.begin.column,
                                          message: "invalid TOML: \(error.description)", help: help)])
        } catch {
            throw Diagnostics([Diagnostic(file: path, line: 0, column: 0, message: "invalid TOML: \(error)")])
        }
    }

    /// `shell`, `timeout` and `options`.
    mutating func readScalars(_ reader: inout ConfigurationReader) {
        shell = reader.string("shell")
        if let timeout = reader.string("timeout") {
            if let d = Duration.parse(transcript: timeout) {
                self.timeout = d
            } else {
                reader.problem("timeout", "'\(timeout)' is not a duration", "write a duration such as 500ms, 30s or 2m")
            }
        }
        if let options = reader.string("options") {
            let (line, column) = reader.locator.locate(key: "options", section: nil)
            do {
                self.options = try Options.parse(options, file: reader.path, line: line, column: column)
            } catch {
                reader.append([error])
            }
        }
    }

    /// `[env]` and `[patterns]`.
    mutating func readTables(_ reader: inout ConfigurationReader) {
        for section in ["env", "patterns"] {
            guard let value = reader.table[section] else { continue }
            guard let sub = value.table else {
                reader.problem(section, "'\(section)' must be a table", "write it as [\(section)] with key = \"value\" lines")
                continue
            }
            for key in sub.keys {
                guard let s = reader.string(key, in: sub, section: section) else { continue }
                if section == "env" {
                    environment[key] = s
                } else {
                    patterns[key] = s
                    patternLines[key] = reader.locator.locate(key: key, section: section).0
                    patternPositions[key] = reader.locator.position(key: key, section: section, value: s)
                }
            }
        }
    }

    /// Each engine's own section, parsed by the engine.
    mutating func readEngineSections(_ reader: inout ConfigurationReader) {
        for kind in EngineRegistry.kinds {
            guard let value = reader.table[kind.name] else { continue }
            guard let sub = value.table else {
                reader.problem(kind.name, "'\(kind.name)' must be a table", "write it as a [\(kind.name)] section")
                continue
            }
            var section = reader.section(kind.name, table: sub)
            engineSettings[kind.name] = kind.parseSettings(&section)
            reader.append(section.problems)
        }
    }

    /// A shell that cannot start is the configuration's mistake, not a transcript's failure.
    func checkShell(_ reader: inout ConfigurationReader) {
        guard let shell else { return }
        if shell.contains("/") {
            var info = stat()
            if stat(shell, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG || access(shell, X_OK) != 0 {
                reader.problem("shell", "no executable shell at '\(shell)'", "write shell = \"bash\", or the path of an installed shell")
            }
        } else if (try? ShellSession.resolve(shell, environment: environment)) == nil {
            reader.problem("shell", "shell '\(shell)' is not on PATH", "write shell = \"bash\" or \"sh\", or the path of an installed shell")
        }
    }
}

/// Finds the line where a key is defined, since the TOML library keeps no positions for values.
struct KeyLocator {
    let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// 1-based (line, column) of `key = ...` inside `[section]` (or at top level), else (0, 0).
    func locate(key: String, section: String?) -> (Int, Int) {
        var current: String?
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
                if section == nil, current == key { return (index + 1, 1) }
                // A table inside the section: [section.key]
                if let section, current == section + "." + key || current == section + ".\"" + key + "\"" {
                    return (index + 1, raw.prefix { $0 == " " || $0 == "\t" }.count + 1)
                }
                continue
            }
            guard current == section else { continue }
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where line.hasPrefix(candidate) {
                let rest = line.dropFirst(candidate.count).trimmingCharacters(in: .whitespaces)
                if rest.hasPrefix("=") {
                    let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
                    if key == "options" && section == nil {
                        // Point at the value's first character (after the opening quote) for option errors.
                        if let quote = raw.firstIndex(where: { $0 == "\"" || $0 == "'" }) {
                            return (index + 1, raw.distance(from: raw.startIndex, to: quote) + 2)
                        }
                    }
                    return (index + 1, indent + 1)
                }
            }
        }
        return (0, 0)
    }
}

extension KeyLocator {
    /// Where `key = "value"` is written, with the column of the value's first character when
    /// the quoted text is `value` exactly (a basic string without escapes, or a literal string).
    func position(key: String, section: String?, value: String) -> ConfigurationPosition {
        let (line, column) = locate(key: key, section: section)
        guard line > 0 else { return ConfigurationPosition(line: 0, column: 0) }
        let raw = Array(lines[line - 1])
        var index = max(0, column - 1)
        while index < raw.count, raw[index] != "=" { index += 1 }
        index += 1
        while index < raw.count, raw[index] == " " || raw[index] == "\t" { index += 1 }
        guard index < raw.count, raw[index] == "\"" || raw[index] == "'" else {
            return ConfigurationPosition(line: line, column: column)
        }
        let quote = raw[index]
        let rest = Array(value)
        let start = index + 1
        guard start + rest.count < raw.count, Array(raw[start..<(start + rest.count)]) == rest, raw[start + rest.count] == quote,
              quote == "'" || !rest.contains("\\") else {
            return ConfigurationPosition(line: line, column: column)
        }
        return ConfigurationPosition(line: line, column: column, valueColumn: start + 1)
    }
}

/// Finds and caches the configuration that applies to each directory: the `transcript.toml`
/// in the directory or its nearest parent.
package final class ConfigurationResolver: @unchecked Sendable {
    private var cache: [String: Result<Configuration, Diagnostics>] = [:]
    private var libraries: [String: Result<PatternLibrary, Diagnostics>] = [:]
    private let lock = NSLock()

    package init() {}

    /// The configuration for a transcript in `directory` (absolute).
    package func configuration(forDirectory directory: String) throws(Diagnostics) -> Configuration {
        lock.lock()
        defer { lock.unlock() }
        return try resolve(directory).get()
    }

    /// The named patterns a configuration defines, compiled once per configuration file.
    package func patternLibrary(for configuration: Configuration) throws(Diagnostics) -> PatternLibrary {
        lock.lock()
        defer { lock.unlock() }
        let key = configuration.path ?? ""
        if let cached = libraries[key] { return try cached.get() }
        let result: Result<PatternLibrary, Diagnostics>
        do throws(Diagnostics) {
            result = .success(try PatternLibrary(custom: configuration.patterns, file: configuration.path ?? "",
                                                 lines: configuration.patternLines, positions: configuration.patternPositions))
        } catch {
            result = .failure(error)
        }
        libraries[key] = result
        return try result.get()
    }

    private func resolve(_ directory: String) -> Result<Configuration, Diagnostics> {
        if let cached = cache[directory] { return cached }
        let candidate = directory == "/" ? "/transcript.toml" : directory + "/transcript.toml"
        let result: Result<Configuration, Diagnostics>
        if FileManager.default.fileExists(atPath: candidate) {
            do throws(Diagnostics) {
                result = .success(try Configuration.load(path: displayPath(candidate)))
            } catch {
                result = .failure(error)
            }
        } else if directory == "/" || directory.isEmpty {
            result = .success(Configuration())
        } else {
            let parent = (directory as NSString).deletingLastPathComponent
            result = resolve(parent.isEmpty ? "/" : parent)
        }
        cache[directory] = result
        return result
    }
}

/// A path relative to the working directory when it lies below it, for shorter messages.
package func displayPath(_ absolute: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    if absolute.hasPrefix(cwd + "/") { return String(absolute.dropFirst(cwd.count + 1)) }
    return absolute
}
