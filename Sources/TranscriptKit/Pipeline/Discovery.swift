import Foundation

/// Finds the transcript files a run covers: files named on the command line as they are, and
/// every file a registered format reads (`*.md`) below a named directory (hidden directories and
/// build folders skipped), sorted.
package enum Discovery {
    /// The files to run, or the diagnostics for paths that do not exist.
    package static func files(for paths: [String]) -> Result<[String], Diagnostics> {
        var files: [String] = []
        var problems: [Diagnostic] = []
        var seen = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(Diagnostic(file: path, line: 0, column: 0, message: "no such file or directory",
                                           help: "name a transcript (\(extensions)) or a directory that holds some"))
                continue
            }
            if isDirectory.boolValue {
                for file in documentFiles(in: path) where seen.insert(file).inserted { files.append(file) }
            } else if seen.insert(path).inserted {
                files.append(path)
            }
        }
        return problems.isEmpty ? .success(files) : .failure(Diagnostics(problems))
    }

    /// The registered formats' extensions, for messages: ".md".
    private static var extensions: String {
        DocumentFormats.all.flatMap(\.fileExtensions).map { "." + $0 }.joined(separator: ", ")
    }

    /// Whether a file found in a directory can hold a session at all, as its format tells; prose
    /// beside transcripts (a README) is not reported as a skipped transcript. Files named on the
    /// command line are always run.
    static func mayHoldSessions(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return true }
        let text = String(decoding: data, as: UTF8.self)
        return DocumentFormats.format(for: path, text: text).mayHoldSessions(text)
    }

    /// The files below `directory` that a registered format reads and that may hold sessions.
    static func documentFiles(in directory: String) -> [String] {
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        var found: [String] = []
        var stack = [root]
        while let current = stack.popLast() {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: current) else { continue }
            for entry in entries {
                if entry.hasPrefix(".") { continue }
                let full = current == "." ? entry : current + "/" + entry
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    if entry == "node_modules" { continue }
                    stack.append(full)
                } else if DocumentFormats.isCandidate(entry), mayHoldSessions(full) {
                    found.append(full)
                }
            }
        }
        return found.sorted()
    }
}
