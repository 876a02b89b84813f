import Foundation

/// `--last-failed`: what failed in the last run, kept in `.transcript-cache/last-failed` under
/// the directory the run started in (a folder git ignores by its own `.gitignore`), one
/// `file:LINE` per failed block, or the file alone when it failed as a whole.
package enum LastFailed {
    /// The cache folder, relative to the current directory.
    package static let directory = ".transcript-cache"
    static var file: String { directory + "/last-failed" }

    /// What a run's outcomes leave for the next `--last-failed`: failed blocks and files.
    package static func entries(_ outcomes: [FileOutcome]) -> [String] {
        var entries: [String] = []
        for outcome in outcomes {
            switch outcome.status {
            case .passed, .skipped:
                continue
            case .invalid:
                entries.append(outcome.path)
            case .failed:
                let failing = outcome.testBlocks.filter { block in
                    switch block.status {
                    case .failed, .notRun: return block.origin == nil
                    default: return false
                    }
                }
                if failing.isEmpty || !outcome.errors.isEmpty {
                    entries.append(outcome.path)
                } else {
                    entries += failing.map { "\(outcome.path):\($0.line)" }
                }
            }
        }
        return entries
    }

    /// Writes the entries of this run (none when everything passed). A folder that cannot be
    /// written is not the run's failure: the next `--last-failed` then runs everything.
    package static func record(_ outcomes: [FileOutcome]) {
        let manager = FileManager.default
        try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ignore = directory + "/.gitignore"
        if !manager.fileExists(atPath: ignore) {
            try? "# written by transcript: its cache, not the project's\n*\n".write(toFile: ignore, atomically: true, encoding: .utf8)
        }
        let text = entries(outcomes).map { $0 + "\n" }.joined()
        try? text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// The entries the last run left that lie under `paths` (files or directories as named), or
    /// nil when it left none there.
    package static func load(under paths: [String]) -> [String]? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let entries = text.split(separator: "\n").map(String.init).filter { entry in
            let file = LineArguments.fileAndLine(entry)?.0 ?? entry
            return FileManager.default.fileExists(atPath: file) && paths.contains { isUnder(file, $0) }
        }
        return entries.isEmpty ? nil : entries
    }

    /// Whether `file` is `path` or lies under it (both as named, `./` aside).
    static func isUnder(_ file: String, _ path: String) -> Bool {
        let file = normalized(file), path = normalized(path)
        return path == "." || file == path || file.hasPrefix(path.hasSuffix("/") ? path : path + "/")
    }

    private static func normalized(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path.isEmpty ? "." : path
    }
}
