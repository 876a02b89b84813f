import Foundation

extension Sidecar {
    /// The pages a run with the sidecar in `directory` covers: those under `paths`, or under the
    /// sidecar's `upstream` folder when no path is named. Every `[[document]]` glob must name a
    /// page there (the folders named, and the folders of the files named), so a renamed page is
    /// reported rather than silently not run.
    package static func discover(directory: String, paths: [String]) -> Result<(Sidecar, [String]), Diagnostics> {
        let sidecar: Sidecar
        do { sidecar = try load(directory: directory) } catch { return .failure(error) }
        var roots = paths
        if roots.isEmpty {
            guard let upstream = sidecar.upstream else {
                return .failure(Diagnostics([Diagnostic(file: sidecar.path, line: 0, column: 0, message: "no pages to run",
                                                        help: "name the pages (or their folder) after --sidecar, or add upstream = \"DIR\" to the sidecar")]))
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: upstream, isDirectory: &isDirectory), isDirectory.boolValue else {
                let at = sidecar.upstreamPosition ?? ConfigurationPosition(line: 0, column: 0)
                return .failure(Diagnostics([Diagnostic(file: sidecar.path, line: at.line, column: at.valueColumn ?? at.column,
                                                        message: "the upstream folder \(upstream) does not exist",
                                                        help: "fix upstream (relative to the sidecar's directory), or name the pages on the command line")]))
            }
            roots = [upstream]
        }
        switch Discovery.files(for: roots) {
        case .failure(let diagnostics):
            return .failure(diagnostics)
        case .success(let files):
            let problems = sidecar.unmatchedDocuments(among: files + neighbours(of: roots))
            return problems.isEmpty ? .success((sidecar, files)) : .failure(Diagnostics(problems))
        }
    }

    /// A diagnostic for each `[[document]]` whose glob names none of `pages`.
    package func unmatchedDocuments(among pages: [String]) -> [Diagnostic] {
        documents.filter { entry in !pages.contains { entry.glob.matches($0) } }.map { entry in
            Diagnostic(file: path, line: entry.position.line, column: entry.position.valueColumn ?? entry.position.column,
                       message: "path \"\(entry.glob.text)\" names no page of this run",
                       help: "the page may have been renamed or removed: fix the glob, or remove the [[document]] entry")
        }
    }

    /// The documents beside the files named on the command line.
    private static func neighbours(of roots: [String]) -> [String] {
        var folders = Set<String>()
        for root in roots {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), !isDirectory.boolValue {
                let folder = (root as NSString).deletingLastPathComponent
                folders.insert(folder.isEmpty ? "." : folder)
            }
        }
        return folders.sorted().flatMap { Discovery.documentFiles(in: $0) }
    }
}
