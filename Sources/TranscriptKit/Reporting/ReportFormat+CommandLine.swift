import Foundation

/// A report option the command line cannot accept, with the message that says what it may be.
package struct ReportOptionError: Error, CustomStringConvertible, Equatable {
    package var message: String
    package var description: String { message }
}

/// The command line's report options, `--format NAME` and `--report FORMAT=PATH`: parsing,
/// their messages and their help, all from the registry.
extension ReportFormat {
    /// The format `--format NAME` names; only one that can go to standard output.
    package static func parse(format name: String) throws(ReportOptionError) -> ReportFormat {
        guard let format = named(name), format.streams else {
            throw ReportOptionError(message: "--format must be one of \(names(streamable)), not '\(name)'")
        }
        return format
    }

    /// The format and path `--report FORMAT=PATH` names; only a format that can go to a file.
    package static func parse(report item: String) throws(ReportOptionError) -> (format: ReportFormat, path: String) {
        let parts = item.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let format = named(String(parts[0])), format.writesFiles, !parts[1].isEmpty else {
            throw ReportOptionError(message: "--report must be FORMAT=PATH with FORMAT one of \(names(fileable)), not '\(item)'")
        }
        return (format, String(parts[1]))
    }

    /// The help of `--format`.
    package static var formatOptionHelp: String {
        "The report on standard output: \(spoken(streamable))."
    }

    /// The help of `--report`.
    package static var reportOptionHelp: String {
        "Also write a report to a file (repeatable): \(spoken(fileable))."
    }

    /// Every format with its line of help and the option it is limited to, for a command's
    /// discussion.
    package static var catalogue: String {
        let width = all.map(\.name.count).max() ?? 0
        let lines = all.map { format in
            let only = format.streams == format.writesFiles ? "" : format.streams ? " (--format only)" : " (--report only)"
            return "  " + format.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + format.help + only
        }
        return (["Report formats:"] + lines).joined(separator: "\n")
    }

    static func names(_ formats: [ReportFormat]) -> String {
        formats.map(\.name).joined(separator: ", ")
    }

    /// `a, b or c`.
    static func spoken(_ formats: [ReportFormat]) -> String {
        let names = formats.map(\.name)
        guard let last = names.last, names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}
