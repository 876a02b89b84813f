import Foundation
import Glibc

/// How the harness keeps every process a shell starts within reach, decided once per process:
/// a cgroup v2 per shell where the unified hierarchy is there and writable (`ControlGroup`),
/// otherwise the harness as a child subreaper (PR_SET_CHILD_SUBREAPER): orphans of the shells
/// become its children instead of init's, and those carrying a file's TMPDIR are killed with
/// the file (`ProcessTree.killOrphans`).
package enum ProcessContainment {
    package enum Mode: Sendable, Equatable {
        /// A cgroup per shell, made under this directory (the harness's own cgroup).
        case controlGroups(parent: String)
        case subreaper
        /// Neither: processes are found through the shell's session and descendants alone.
        case sessionOnly
    }

    /// The mode of this process. Choosing it also removes what harnesses that are gone left
    /// under the parent cgroup (`ControlGroup.sweep`).
    package static let mode: Mode = choose()

    /// What `--verbose` and the documentation call it.
    package static var description: String {
        switch mode {
        case .controlGroups(let parent): return "a cgroup v2 per shell, under \(parent)"
        case .subreaper: return "the harness as child subreaper (no writable cgroup v2)"
        case .sessionOnly: return "the shell's session and descendants (no writable cgroup v2, no subreaper)"
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made = 0

    /// A fresh cgroup for one shell; nil outside `.controlGroups` or when the hierarchy refuses.
    static func makeGroup() -> ControlGroup? {
        guard case .controlGroups(let parent) = mode else { return nil }
        lock.lock()
        made += 1
        let number = made
        lock.unlock()
        return ControlGroup.make(under: parent, owner: HarnessOwner.current, number: number)
    }

    nonisolated(unsafe) private static var shells = Set<pid_t>()

    /// A shell started (`running`) or reaped: the shells running now are never taken for a
    /// file's orphans.
    static func note(shell pid: pid_t, running: Bool) {
        lock.lock()
        if running { shells.insert(pid) } else { shells.remove(pid) }
        lock.unlock()
    }

    /// After a shell ended: in `.subreaper` mode, kills the orphans it left (those whose
    /// environment holds `marker`, the file's TMPDIR entry).
    static func killOrphans(marked marker: String) {
        guard mode == .subreaper else { return }
        lock.lock()
        let running = shells
        lock.unlock()
        ProcessTree.killOrphans(marked: marker, sparing: running)
    }

    private static func choose() -> Mode {
        if let parent = ownUnifiedDirectory(), probe(parent) {
            ControlGroup.sweep(parent)
            return .controlGroups(parent: parent)
        }
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        let setChildSubreaper: Int32 = 36  // PR_SET_CHILD_SUBREAPER
        if let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, "prctl"),
           unsafeBitCast(address, to: Prctl.self)(setChildSubreaper, 1, 0, 0, 0) == 0 {
            return .subreaper
        }
        return .sessionOnly
    }

    /// Whether a cgroup can be made, with `cgroup.kill`, under `parent` (it is removed at once).
    private static func probe(_ parent: String) -> Bool {
        guard let group = ControlGroup.make(under: parent, owner: HarnessOwner.current, number: 0) else { return false }
        return group.remove(within: .zero)
    }

    /// The directory of this process's own cgroup in the unified (v2) hierarchy, if mounted.
    static func ownUnifiedDirectory() -> String? {
        guard let mounts = ControlGroup.readLarge("/proc/self/mountinfo"), let membership = ControlGroup.readSmall("/proc/self/cgroup") else { return nil }
        return unifiedDirectory(mountinfo: mounts, cgroup: membership)
    }

    /// Where the cgroup named by the `0::` line of `cgroup` (the text of /proc/self/cgroup) lies
    /// in the file system, given the text of /proc/self/mountinfo: under the first cgroup2 mount
    /// whose root contains it (/sys/fs/cgroup on a pure v2 machine, /sys/fs/cgroup/unified on a
    /// hybrid one).
    static func unifiedDirectory(mountinfo: String, cgroup: String) -> String? {
        guard let line = cgroup.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        let own = String(line.dropFirst(3))
        for entry in mountinfo.split(separator: "\n") {
            let halves = entry.split(separator: " - ", maxSplits: 1)
            guard halves.count == 2, halves[1].split(separator: " ").first == "cgroup2" else { continue }
            let fields = halves[0].split(separator: " ")
            guard fields.count >= 5 else { continue }
            let root = unescape(fields[3]), mountPoint = unescape(fields[4])
            let relative: Substring
            if root == "/" {
                relative = own[...]
            } else if own == root || own.hasPrefix(root + "/") {
                relative = own.dropFirst(root.count)
            } else {
                continue
            }
            let base = mountPoint.hasSuffix("/") ? String(mountPoint.dropLast()) : mountPoint
            return relative == "/" || relative.isEmpty ? base : base + relative
        }
        return nil
    }

    /// A mountinfo field with its octal escapes (`\040` for a space) decoded.
    static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\\"), index + 3 < raw.count,
               let value = UInt8(String(decoding: raw[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(raw[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
