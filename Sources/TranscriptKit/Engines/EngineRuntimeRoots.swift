import Foundation

/// The runtime roots (where private engines keep their directories) one engine kind has used or
/// been told of in a run, and what a file's shell sees of them: each root is covered (a file
/// cannot find, let alone reach, another file's engine socket), but for the file's own engine's
/// directory, the fixture archives it may load and the file's own directory.
final class EngineRuntimeRoots: @unchecked Sendable {
    /// Where fixture archives are cached, and engines live when the configuration names no root.
    static let defaultRoot = "/tmp/transcript-engines"

    private let lock = NSLock()
    private var roots: [String] = [EngineRuntimeRoots.defaultRoot]

    /// Notes `root` as one of this run's runtime roots; returns them all, the default one first.
    func note(_ root: String) -> [String] {
        lock.withLock {
            if !roots.contains(root) { roots.append(root) }
            return roots
        }
    }

    /// The roots covered for `file` (whose engine uses `root`), keeping `own` and the file's
    /// own directory where a root holds them. None outside a private run or where mount
    /// namespaces cannot be made.
    func covered(for file: EngineFile, root: String, keeping own: [String], mode: EngineMode) -> [CoveredDirectory] {
        guard mode == .private, MountIsolation.isPossible else { return [] }
        let all = note(root).map { Self.standardized($0) }
        let kept = (own + [file.directory]).map { Self.standardized($0) }
        return all.filter { $0 != "/" }.map { root in
            CoveredDirectory(path: root, kept: kept.filter { MountIsolation.isUnder($0, root) })
        }
    }

    /// The directories of `archives` (the fixtures a file may `docker load -i`).
    static func archiveDirectories(_ fixtures: DockerFixtures?) -> [String] {
        Array(Set((fixtures?.archives ?? []).map { ($0 as NSString).deletingLastPathComponent }))
    }

    private static func standardized(_ path: String) -> String {
        let absolutePath = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolutePath as NSString).standardizingPath
    }
}
