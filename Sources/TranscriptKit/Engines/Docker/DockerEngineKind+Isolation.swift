import Foundation

/// What a file's shell sees of the engines' runtime roots in a private run: each root is covered
/// (a file cannot find, let alone reach, another file's engine socket), but for the file's own
/// engine's directory and the fixture archives it may load.
extension DockerEngineKind {
    /// Where fixture archives are cached, whatever the runtime root.
    static let defaultRuntimeRoot = "/tmp/transcript-engines"

    /// The runtime root `configuration` names.
    static func runtimeRoot(_ configuration: Configuration) -> String {
        configuration.docker.runtimeRoot ?? defaultRuntimeRoot
    }

    /// The roots covered for `file`, keeping `own` (its engine's directory and fixture
    /// archives' directories) and the file's own directory where a root holds it. None outside a
    /// private run or where mount namespaces cannot be made.
    func coveredRoots(for file: EngineFile, keeping own: [String] = []) -> [CoveredDirectory] {
        guard mode == .private, MountIsolation.isPossible else { return [] }
        let roots = noteRuntimeRoot(Self.runtimeRoot(file.configuration)).map { standardized($0) }
        let kept = (own + [file.directory]).map { standardized($0) }
        return roots.filter { $0 != "/" }.map { root in
            CoveredDirectory(path: root, kept: kept.filter { MountIsolation.isUnder($0, root) })
        }
    }

    /// The directories of `archives` (the fixtures a file may `docker load -i`).
    static func archiveDirectories(_ fixtures: DockerFixtures?) -> [String] {
        Array(Set((fixtures?.archives ?? []).map { ($0 as NSString).deletingLastPathComponent }))
    }

    private func standardized(_ path: String) -> String {
        let absolutePath = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolutePath as NSString).standardizingPath
    }
}
