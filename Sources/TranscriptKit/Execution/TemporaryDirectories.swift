import Foundation
import Glibc

/// The files' temporary directories under TMPDIR (or TEST_TMPDIR): `transcript-<owner>-XXXXXX`
/// while the harness that made them runs (`HarnessOwner`), plain `transcript-XXXXXX` when kept on
/// purpose (`--keep-temp`). A harness killed outright (SIGKILL) cannot remove its own: the next
/// run does, once per base directory, after the cgroups of that harness are swept (so nothing
/// runs in them any more).
enum TemporaryDirectories {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var swept = Set<String>()

    /// The mkdtemp template for a file's directory under `base`.
    static func template(base: String, kept: Bool) -> String {
        (base.hasSuffix("/") ? base : base + "/") + "transcript-" + (kept ? "" : HarnessOwner.current + "-") + "XXXXXX"
    }

    /// Removes, once per process and base, the directories under `base` whose harness is gone.
    /// Returns the paths removed.
    @discardableResult
    static func sweep(_ base: String) -> [String] {
        lock.lock()
        let first = swept.insert(base).inserted
        lock.unlock()
        guard first else { return [] }
        // The cgroups first: what still runs in a stale directory is killed before it goes.
        _ = ProcessContainment.mode
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        var removed: [String] = []
        for name in entries {
            guard let owner = HarnessOwner.owner(of: name, prefix: "transcript-"), HarnessOwner.isGone(owner) else { continue }
            let path = (base.hasSuffix("/") ? base : base + "/") + name
            var info = stat()
            // Only directories of this harness's making: owned by this user, not a link.
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() else { continue }
            removeTree(path)
            removed.append(path)
        }
        return removed
    }
}
