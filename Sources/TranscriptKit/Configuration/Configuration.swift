import Foundation
import TOMLKit

/// The settings of a `transcript.toml` file (FORMAT.md section 6), already validated.
package struct Configuration: Sendable {
    /// The file it came from, or nil for the built-in defaults.
    package var path: String?
    package var shell: String?
    package var timeout: Duration?
    /// Default options, as in a `transcript-file` comment.
    package var options = Options()
    package var environment: [String: String] = [:]
    /// Named patterns defined by the file, with the line each is defined on.
    package var patterns: [String: String] = [:]
    package var patternLines: [String: Int] = [:]
    /// Where each named pattern is written, for errors that point at its character.
    package var patternPositions: [String: ConfigurationPosition] = [:]
    /// The `[docker]` table: how a Docker engine is provided.
    package var docker = DockerSettings()

    package init() {}

    /// The `[docker]` table (the harness's own extension of the format).
    package struct DockerSettings: Sendable, Hashable {
        /// The dockerd program private engines run.
        package var dockerd: String?
        /// Where private engines keep their runtime directories (short: unix socket paths).
        package var runtimeRoot: String?
        /// Built-in fixture images loaded into each private engine: "busybox" or "none".
        package var fixtures: String?
        /// Further `docker save` archives loaded into each private engine, relative to the file.
        package var images: [String] = []
        /// A script run in each private engine before the file's first block, with DOCKER_HOST
        /// set, relative to the configuration file's directory.
        package var setup: String?
        /// dockerd's --storage-driver (default: dockerd's own choice).
        package var storageDriver: String?

        package init() {}
    }

    /// Reads and validates `path`; every problem names the file and line.
    package static func load(path: String) throws(Diagnostics) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Diagnostics([Diagnostic(file: path, line: 0, column: 0, message: "cannot read the configuration file")])
        }
        return try parse(text, path: path)
    }

    static let topKeys = ["shell", "timeout", "options", "env", "patterns", "docker"]
    static let dockerKeys = ["dockerd", "runtime-root", "fixtures", "images", "setup", "storage-driver"]

    /// Parses configuration text.
    package static func parse(_ text: String, path: String) throws(Diagnostics) -> Configuration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let help = error.description.contains("redefine")
                ? "a key may be set only once in a table: remove one of them"
                : "fix the TOML syntax here: key = \"value\" lines under [table] headers (https://toml.io)"
            throw Diagnostics([Diagnostic(file: path, line: error.source.begin.line, column: error.source.begin.column,
                                          message: "invalid TOML: \(error.description)", help: help)])
        } catch {
            throw Diagnostics([Diagnostic(file: path, line: 0, column: 0, message: "invalid TOML: \(error)")])
        }
        let locator = KeyLocator(text: text)
        var config = Configuration()
        config.path = path
        var problems: [Diagnostic] = []
        func problem(_ key: String, section: String? = nil, _ message: String, _ help: String? = nil) {
            let (line, column) = locator.locate(key: key, section: section)
            problems.append(Diagnostic(file: path, line: line, column: column, message: message, help: help))
        }
        func string(_ key: String, in table: TOMLTable, section: String? = nil) -> String? {
            guard let value = table[key] else { return nil }
            guard let s = value.string else {
                if let section, value.type == .table {
                    problem(key, section: section, "'\(key)' in [\(section)] must be a string, not a table",
                            "write \(key) = \"...\" under [\(section)] instead of a table [\(section).\(key)]")
                } else {
                    problem(key, section: section, "'\(key)' must be a string, not \(typeName(value.type))", "quote the value: \(key) = \"...\"")
                }
                return nil
            }
            return s
        }
        for key in table.keys where !topKeys.contains(key) {
            problem(key, "unknown key '\(key)'", closestName(to: key, among: topKeys).map { "did you mean '\($0)'?" }
                ?? "keys are " + topKeys.joined(separator: ", "))
        }
        config.shell = string("shell", in: table)
        if let timeout = string("timeout", in: table) {
            if let d = Duration.parse(transcript: timeout) {
                config.timeout = d
            } else {
                problem("timeout", "'\(timeout)' is not a duration", "write a duration such as 500ms, 30s or 2m")
            }
        }
        if let options = string("options", in: table) {
            let (line, column) = locator.locate(key: "options", section: nil)
            do {
                config.options = try Options.parse(options, file: path, line: line, column: column)
            } catch {
                problems.append(error)
            }
        }
        for (section, target) in [("env", 0), ("patterns", 1)] {
            guard let value = table[section] else { continue }
            guard let sub = value.table else {
                problem(section, "'\(section)' must be a table", "write it as [\(section)] with key = \"value\" lines")
                continue
            }
            for key in sub.keys {
                guard let s = string(key, in: sub, section: section) else { continue }
                if target == 0 {
                    config.environment[key] = s
                } else {
                    config.patterns[key] = s
                    config.patternLines[key] = locator.locate(key: key, section: section).0
                    config.patternPositions[key] = locator.position(key: key, section: section, value: s)
                }
            }
        }
        if let value = table["docker"] {
            if let docker = value.table {
                for key in docker.keys where !dockerKeys.contains(key) {
                    problem(key, section: "docker", "unknown key '\(key)' in [docker]",
                            closestName(to: key, among: dockerKeys).map { "did you mean '\($0)'?" } ?? "keys are " + dockerKeys.joined(separator: ", "))
                }
                config.docker.dockerd = string("dockerd", in: docker, section: "docker")
                config.docker.runtimeRoot = string("runtime-root", in: docker, section: "docker")
                config.docker.setup = string("setup", in: docker, section: "docker")
                config.docker.storageDriver = string("storage-driver", in: docker, section: "docker")
                if let fixtures = string("fixtures", in: docker, section: "docker") {
                    if ["busybox", "none"].contains(fixtures) {
                        config.docker.fixtures = fixtures
                    } else {
                        problem("fixtures", section: "docker", "unknown fixtures '\(fixtures)'", "write fixtures = \"busybox\" or \"none\"")
                    }
                }
                if let images = docker["images"] {
                    if let array = images.array, array.allSatisfy({ $0.string != nil }) {
                        config.docker.images = array.compactMap { $0.string }
                    } else {
                        problem("images", section: "docker", "'images' must be an array of strings", "write images = [\"fixtures/app.tar\"]")
                    }
                }
            } else {
                problem("docker", "'docker' must be a table", "write it as a [docker] section")
            }
        }
        if let shell = config.shell {
            // A shell that cannot start is the configuration's mistake, not a transcript's failure.
            if shell.contains("/") {
                var info = stat()
                if stat(shell, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG || access(shell, X_OK) != 0 {
                    problem("shell", "no executable shell at '\(shell)'", "write shell = \"bash\", or the path of an installed shell")
                }
            } else if (try? ShellSession.resolve(shell, environment: config.environment)) == nil {
                problem("shell", "shell '\(shell)' is not on PATH", "write shell = \"bash\" or \"sh\", or the path of an installed shell")
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems.sorted { $0.line < $1.line }) }
        return config
    }
}

/// A TOML type as the TOML specification names it.
func typeName(_ type: TOMLType) -> String {
    switch type {
    case .table: return "a table"
    case .array: return "an array"
    case .string: return "a string"
    case .int: return "an integer"
    case .double: return "a float"
    case .bool: return "a boolean"
    case .date: return "a local date"
    case .time: return "a local time"
    case .dateTime: return "a date-time"
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
