import PCRE2

/// One named pattern, usable as `{{name}}` in expected output and as an `examples=` kind.
package struct NamedPattern: Sendable, Hashable {
    package var name: String
    /// PCRE2 source; callers embed it wrapped in `(?:...)`.
    package var regex: String
    package var description: String
    package var examples: [String]
    /// Whether it is one of FORMAT.md's built-in patterns (otherwise it comes from the configuration file).
    package var isBuiltIn: Bool
    /// Where finding an `examples=` value in a page needs more than `regex` (a context around
    /// it), the pattern that finds it; `regex` still matches the actual value.
    package var scanRegex: String?

    package init(name: String, regex: String, description: String, examples: [String] = [], isBuiltIn: Bool = false,
                 scanRegex: String? = nil) {
        self.name = name
        self.regex = regex
        self.description = description
        self.examples = examples
        self.isBuiltIn = isBuiltIn
        self.scanRegex = scanRegex
    }
}

/// Named patterns: the built-in table of FORMAT.md plus those of the configuration file.
package struct PatternLibrary: Sendable {
    /// Every pattern, built-ins first (in FORMAT.md's order), then custom ones by name.
    package let patterns: [NamedPattern]
    private let byName: [String: NamedPattern]
    /// Compiled line patterns shared by every matcher built from this library.
    let cache: RegexCache

    /// Adds the `[patterns]` table of a configuration file (`custom`, name → PCRE2) to the
    /// built-ins; `lines` gives the configuration line of each name, for errors in `file`.
    /// `positions` adds the column of each name and, where the value is written as is between
    /// quotes, of its first character, so that a compile error points at the pattern's character.
    package init(custom: [String: String] = [:], file: String = "", lines: [String: Int] = [:],
                 positions: [String: ConfigurationPosition] = [:]) throws(Diagnostics) {
        var table = Self.builtIns
        var problems: [Diagnostic] = []
        let builtInNames = Set(Self.builtIns.map(\.name))
        for name in custom.keys.sorted() {
            let regex = custom[name] ?? ""
            let line = positions[name]?.line ?? lines[name] ?? 0
            let column = positions[name]?.column ?? 0
            if builtInNames.contains(name) {
                problems.append(Diagnostic(file: file, line: line, column: column,
                                           message: "pattern '\(name)' is built in and cannot be redefined",
                                           help: "give the pattern another name"))
                continue
            }
            if !Self.isValidName(name) {
                problems.append(Diagnostic(file: file, line: line, column: column,
                                           message: "'\(name)' cannot be used as a pattern name",
                                           help: "use letters, digits, '_', '-' and '.' only"))
                continue
            }
            do {
                _ = try Regex(regex, options: .utf, jit: false)
            } catch {
                let at = positions[name]?.valueColumn.map { $0 + error.characterOffset } ?? column
                problems.append(Diagnostic(file: file, line: line, column: at,
                                           message: "pattern '\(name)' does not compile: \(error.message)",
                                           help: "fix the PCRE2 pattern (in TOML, a backslash is written \\\\ in \"...\" or as is in '...')",
                                           notes: ["pattern: \(regex)"]))
                continue
            }
            table.append(NamedPattern(name: name, regex: regex, description: "defined in \(file)", isBuiltIn: false))
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        patterns = table
        byName = Dictionary(table.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        cache = RegexCache()
    }

    /// The pattern called `name`, if there is one.
    package func pattern(named name: String) -> NamedPattern? { byName[name] }

    /// Every pattern name, in table order.
    package var names: [String] { patterns.map(\.name) }

    /// Names usable inside `{{...}}`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { isNameScalar($0) }
    }

    static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": return true
        default: return false
        }
    }
}

extension PatternLibrary {
    /// Go's `units.HumanDuration`, as Docker prints ages and uptimes.
    static let humanDuration =
        "(?:Less than a second|About a minute|About an hour|1 second|[0-9]+ (?:seconds|minutes|hours|days|weeks|months|years))"

    /// FORMAT.md section 3, with patterns checked against what Docker prints.
    package static let builtIns: [NamedPattern] = [
        NamedPattern(name: "short-id", regex: "[0-9a-f]{12}",
                     description: "12 lowercase hex digits", examples: ["54bb4e8718e8"], isBuiltIn: true),
        NamedPattern(name: "id", regex: "[0-9a-f]{64}",
                     description: "64 lowercase hex digits",
                     examples: ["54bb4e8718e8600d78a5d7c62ce9a4b4b9bd8d87b10d6b4a2e0b3c1e2a3f4d5c"], isBuiltIn: true),
        NamedPattern(name: "sha256", regex: "sha256:[0-9a-f]{64}",
                     description: "sha256: and 64 lowercase hex digits",
                     examples: ["sha256:d4f3e2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3d2c1b0a9d8c7b6a5f4e3"], isBuiltIn: true),
        NamedPattern(name: "hex", regex: "[0-9A-Fa-f]+",
                     description: "one or more hex digits", examples: ["7f", "DEADbeef"], isBuiltIn: true),
        NamedPattern(name: "int", regex: "[-+]?[0-9]+",
                     description: "an optionally signed integer", examples: ["0", "-42"], isBuiltIn: true),
        NamedPattern(name: "number", regex: "[-+]?[0-9]+(?:\\.[0-9]+)?",
                     description: "an integer or decimal", examples: ["1.98", "-0.5"], isBuiltIn: true),
        // go-units: HumanSize "%.4g%s" (decimal units), BytesSize (binary units); older
        // releases put a space before the unit.
        NamedPattern(name: "size", regex: "[0-9]+(?:\\.[0-9]+)? ?(?:B|[kKMGTPEZY]B|[KMGTPEZY]iB)",
                     description: "a human size as Docker prints it",
                     examples: ["0B", "81 B", "1.98MB", "323.7 MB", "2.1kB", "1.5GiB"], isBuiltIn: true),
        NamedPattern(name: "ago", regex: humanDuration + " ago",
                     description: "a relative time as Docker prints it",
                     examples: ["Less than a second ago", "About a minute ago", "42 hours ago", "5 days ago", "2 weeks ago"],
                     isBuiltIn: true),
        // The daemon's State.String().
        NamedPattern(name: "status",
                     regex: "(?:Up \(humanDuration)(?: \\((?:Paused|healthy|unhealthy|health: starting)\\))?"
                         + "|(?:Exited|Restarting) \\(-?[0-9]+\\) \(humanDuration) ago"
                         + "|Created|Removal In Progress|Dead|Paused|Restarting)",
                     description: "a container status as docker ps prints it",
                     examples: ["Created", "Up 3 seconds", "Up About a minute (Paused)", "Exited (143) 5 days ago"],
                     isBuiltIn: true),
        NamedPattern(name: "timestamp",
                     regex: "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)"
                         + "(?:\\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?",
                     description: "an RFC 3339 date-time, fraction and zone optional",
                     examples: ["2026-11-25T08:44:59.05Z"], isBuiltIn: true),
        // Go's time.Duration.String().
        NamedPattern(name: "duration", regex: "-?(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|μs|ms|s|m|h))+",
                     description: "a Go-style duration", examples: ["150ms", "1.5s", "2m3s"], isBuiltIn: true),
        NamedPattern(name: "uuid", regex: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                     description: "a UUID", examples: ["123e4567-e89b-12d3-a456-426614174000"], isBuiltIn: true),
        // names-generator: "adjective_surname", with a digit appended on a retry.
        NamedPattern(name: "name", regex: "[a-z]+_[a-z]+[0-9]?",
                     description: "a name Docker generates for a container", examples: ["backstabbing_ritchie"],
                     isBuiltIn: true),
    ] + asWrittenKinds + [
        // Full (SHA-1 or SHA-256) or abbreviated, as git log, commit and rev-parse print them.
        NamedPattern(name: "git-hash", regex: "[0-9a-f]{4,64}",
                     description: "a git object name, full or abbreviated: 4 to 64 lowercase hex digits",
                     examples: ["3f2a1b0", "3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a"], isBuiltIn: true),
        // ISO 8601 as programs print it for people: a space between date and time (date
        // --rfc-3339, Python, SQL), a fraction and a zone optional; `timestamp` is the T form.
        NamedPattern(name: "datetime",
                     regex: "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)"
                         + "(?:[.,][0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?",
                     description: "a date and time with a space between them, fraction and zone optional",
                     examples: ["2026-12-02 14:37:30", "2026-12-02 14:37:30.123456", "2026-12-02 14:37:30+00:00"],
                     isBuiltIn: true),
        NamedPattern(name: "any", regex: ".*", description: "any text, possibly empty", isBuiltIn: true),
    ]

    private static let month = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"

    /// What `date` prints without a format: `Tue Nov 14 16:40:00 UTC 2017` (the C locale, the day
    /// padded), `Tue 14 Nov 2017 16:40:00 CET` or `Tue 14 Nov 16:40:00 CET 2017` (day first), a
    /// 12-hour clock with AM/PM allowed; any run of spaces between the parts. Also `date -R`
    /// (`Tue, 14 Nov 2017 16:40:00 +0000`) and git's `Tue Nov 14 16:40:00 2017 +0000`.
    private static let dateOutput: String = {
        let weekday = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?"
        let day = "(?:0?[1-9]|[12][0-9]|3[01])"
        let clock = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?: +[AP]M)?"
        let zone = "(?:[A-Z]{2,5}|[+-][0-9]{2,4})"
        let year = "[0-9]{4}"
        // git log's default puts the year before the zone.
        return "\(weekday) +(?:\(month) +\(day) +\(clock) +(?:\(zone) +\(year)|\(year) +\(zone))"
            + "|\(day) +\(month) +(?:\(year) +\(clock) +\(zone)|\(clock) +\(zone) +\(year)))"
    }()

    /// Values pages show from their author's machine in other shapes than Docker's table columns
    /// (`examples=docker` lists them; `{{name}}` works too).
    static let asWrittenKinds: [NamedPattern] = [
        // go-units sizes, and ls -h / du -h sizes (a unit letter alone).
        NamedPattern(name: "human-size", regex: "[0-9]+(?:\\.[0-9]+)? ?(?:B|[kKMGTPEZY](?:i?B)?)",
                     description: "a human-readable size, as Docker, ls -h or du -h print it",
                     examples: ["2.7M", "1.5 GB", "234kB", "4.0K", "1.5GiB"], isBuiltIn: true),
        // The number after a JSON key that ends in Size (docker inspect, system df -v).
        NamedPattern(name: "byte-count", regex: "(?<=Size\": |Size\":|SizeRw\": |SizeRootFs\": )[0-9]+",
                     description: "a byte count after a JSON key ending in Size: \"Size\": 12345",
                     examples: ["\"Size\": 12345", "\"VirtualSize\":12345"], isBuiltIn: true),
        // ls -l: the day padded to two columns, then the time, or the year for old files.
        NamedPattern(name: "ls-date",
                     regex: month + " +(?:0?[1-9]|[12][0-9]|3[01]) +(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|[0-9]{4})",
                     description: "a date as ls -l prints it; any run of spaces between its parts",
                     examples: ["Dec  5 04:10", "Mar 10  2021"], isBuiltIn: true),
        // Go's time.Time.String(), with the monotonic clock reading it may carry; or date(1)'s
        // default output, in the C locale's order or with the day before the month.
        NamedPattern(name: "zoned-time",
                     regex: "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)"
                         + "(?:\\.[0-9]+)? [+-][0-9]{4}(?: (?:[A-Z]{2,5}|[+-][0-9]{2,4}))?(?: m=[+-][0-9]+\\.[0-9]+)?"
                         + "|" + dateOutput,
                     description: "a date-time with its zone name, as Go or date(1) print a time",
                     examples: ["2021-03-10 00:15:05 +0100 CET", "2024-01-02 10:00:00.5 +0000 UTC",
                                "Tue Nov 14 16:40:00 UTC 2017", "Tue 14 Nov 2017 16:40:00 CET",
                                "Tue, 14 Nov 2017 16:40:00 +0000", "Tue Nov 14 16:40:00 2017 +0000"], isBuiltIn: true),
        NamedPattern(name: "percent", regex: "[0-9]+(?:\\.[0-9]+)?%",
                     description: "a percentage", examples: ["50%", "0.07%"], isBuiltIn: true),
        // In a page: hex digits after sha256: or file:, or ending in an ellipsis; in the output,
        // hex digits of any length that may end in an ellipsis too.
        NamedPattern(name: "cut-id", regex: "[0-9a-f]{4,64}(?:\\.\\.\\.|…)?",
                     description: "an ID or digest cut short by the page or the engine",
                     examples: ["1fd8d7f9f6557cafc7", "d4f3e2c1b0a9..."], isBuiltIn: true,
                     scanRegex: "(?<=sha256:|file:)[0-9a-f]{4,63}(?![0-9a-f])(?:\\.\\.\\.|…)?|[0-9a-f]{6,63}(?:\\.\\.\\.|…)"),
    ]
}

/// Where a key of a configuration file is written: its line and column, and the column of its
/// value's first character when the value stands between quotes exactly as it reads (no escapes).
package struct ConfigurationPosition: Sendable, Hashable {
    package var line: Int
    package var column: Int
    package var valueColumn: Int?

    package init(line: Int, column: Int, valueColumn: Int? = nil) {
        self.line = line
        self.column = column
        self.valueColumn = valueColumn
    }
}
