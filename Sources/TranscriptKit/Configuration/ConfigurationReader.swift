import TOMLKit

/// Reads one table of a configuration file (the top level, or a section such as `[docker]`)
/// and collects its problems as diagnostics that point at the key's line and column.
package struct ConfigurationReader {
    /// The section read (`docker` for `[docker]`), nil for the top level.
    package let section: String?
    let table: TOMLTable
    let path: String
    let locator: KeyLocator
    /// What was wrong, in the order found.
    package private(set) var problems: [Diagnostic] = []

    init(table: TOMLTable, section: String?, path: String, locator: KeyLocator) {
        self.table = table
        self.section = section
        self.path = path
        self.locator = locator
    }

    /// The keys of the table.
    package var keys: [String] { table.keys }

    /// A reader of the sub-table `name` (itself a section).
    func section(_ name: String, table: TOMLTable) -> ConfigurationReader {
        ConfigurationReader(table: table, section: name, path: path, locator: locator)
    }

    /// A reader of the section `[name]` when the file has one; a value there that is not a
    /// table is a problem, and nil.
    mutating func subsection(_ name: String) -> ConfigurationReader? {
        guard let value = table[name] else { return nil }
        guard let sub = value.table else {
            problem(name, "'\(name)' must be a table", "write it as a [\(name)] section")
            return nil
        }
        return section(name, table: sub)
    }

    /// Records a problem at `key` of `section` (this reader's section when not given).
    package mutating func problem(_ key: String, _ message: String, _ help: String? = nil) {
        problem(key, section: section, message, help)
    }

    mutating func problem(_ key: String, section: String?, _ message: String, _ help: String? = nil) {
        let (line, column) = locator.locate(key: key, section: section)
        problems.append(Diagnostic(file: path, line: line, column: column, message: message, help: help))
    }

    mutating func append(_ more: [Diagnostic]) {
        problems += more
    }

    /// Reports every key not in `allowed`, with a suggestion.
    package mutating func rejectUnknownKeys(allowed: [String]) {
        for key in table.keys where !allowed.contains(key) {
            let message = section.map { "unknown key '\(key)' in [\($0)]" } ?? "unknown key '\(key)'"
            problem(key, message, closestName(to: key, among: allowed).map { "did you mean '\($0)'?" }
                ?? "keys are " + allowed.joined(separator: ", "))
        }
    }

    /// The string at `key`, nil when absent or not a string (a problem then).
    package mutating func string(_ key: String) -> String? {
        string(key, in: table, section: section)
    }

    mutating func string(_ key: String, in table: TOMLTable, section: String?) -> String? {
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

    /// The array of strings at `key`, nil when absent or not one (a problem then, with `help`).
    package mutating func strings(_ key: String, help: String) -> [String]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
            problem(key, "'\(key)' must be an array of strings", help)
            return nil
        }
        return array.compactMap { $0.string }
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
