import Foundation

/// `file.md:LINE` arguments: a file named with a line runs the session block that holds the
/// line, after the blocks before it (its setup).
package enum LineArguments {
    /// The arguments with their `:LINE` suffixes taken off, and the lines per file. An argument
    /// is read as `FILE:LINE` only when it is not itself a path that exists and FILE is a file.
    package static func split(_ arguments: [String]) -> (paths: [String], lines: [String: Set<Int>]) {
        var paths: [String] = []
        var lines: [String: Set<Int>] = [:]
        for argument in arguments {
            guard let (file, line) = fileAndLine(argument) else {
                paths.append(argument)
                continue
            }
            if lines[file] == nil { paths.append(file) }
            lines[file, default: []].insert(line)
        }
        return (paths, lines)
    }

    /// `FILE` and `LINE` of `FILE:LINE`, or nil.
    static func fileAndLine(_ argument: String) -> (String, Int)? {
        guard !FileManager.default.fileExists(atPath: argument),
              let colon = argument.lastIndex(of: ":"),
              let line = Int(argument[argument.index(after: colon)...]), line >= 1 else { return nil }
        let file = String(argument[..<colon])
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return (file, line)
    }

    /// A diagnostic for each line that no session block of its file holds (files that do not
    /// parse are left to the run, which reports their errors).
    package static func check(_ lines: [String: Set<Int>]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for (file, wanted) in lines.sorted(by: { $0.key < $1.key }) {
            guard let source = try? SourceFile.read(path: file), let transcript = try? DocumentFormats.parse(source) else { continue }
            for line in wanted.sorted() where !transcript.blocks.contains(where: { $0.openingLine <= line && line <= $0.closingLine }) {
                let nearest = transcript.blocks.map(\.openingLine).min { abs($0 - line) < abs($1 - line) }
                problems.append(Diagnostic(file: file, line: line, column: 1, message: "no session block holds line \(line)",
                                           help: nearest.map { "name a line inside a block, e.g. \(file):\($0)" }
                                               ?? "this file has no session block"))
            }
        }
        return problems
    }
}
