import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The cgroups one private Podman engine may use: in every mounted cgroup hierarchy (the v1
/// controllers, the unified v2), a directory under the harness's own cgroup there, named
/// `transcript-<owner>-podman-<id>` (`HarnessOwner`). The engine's mount namespace shows each in
/// place of its hierarchy's mount point and its cgroup namespace starts there, so what Podman,
/// conmon and runc make (`/libpod_parent/...`) lands inside, never in the host's tree. `remove`
/// takes them away with the engine; a later run sweeps those of a harness that is gone.
struct PodmanControlGroups: Sendable {
    /// One hierarchy: the engine's directory in it, and the mount point it stands in for.
    struct Delegated: Sendable, Hashable {
        var directory: String
        var mountPoint: String
        var isUnified: Bool
    }

    /// Where the name of every engine's cgroups starts after the owner.
    static let marker = "-podman-"

    let delegated: [Delegated]

    /// Makes `transcript-<owner>-podman-<id>` in every hierarchy the harness can write to (none
    /// where it can write to none: the engine then uses the hierarchies as they are).
    static func make(id: String) -> PodmanControlGroups {
        let name = ControlGroup.prefix + HarnessOwner.current + marker + id
        var made: [Delegated] = []
        for hierarchy in hierarchies() {
            let directory = hierarchy.own + "/" + name
            guard mkdir(directory, 0o755) == 0 else { continue }
            // A v1 cpuset starts with no CPUs and no memory nodes: no process could join it.
            for file in ["cpuset.cpus", "cpuset.mems"] where !hierarchy.isUnified && access(directory + "/" + file, F_OK) == 0 {
                _ = ControlGroup.write(ControlGroup.readSmall(hierarchy.own + "/" + file) ?? "", to: directory + "/" + file)
            }
            made.append(Delegated(directory: directory, mountPoint: hierarchy.mountPoint, isUnified: hierarchy.isUnified))
        }
        return PodmanControlGroups(delegated: made)
    }

    /// Shell lines, for the engine's PID 1 in its mount namespace: each directory over its
    /// hierarchy's mount point, and PID 1 moved into it (what it starts after follows).
    var shellLines: String {
        delegated.map { group in
            "mount --bind \(shellQuote(group.directory)) \(shellQuote(group.mountPoint)) && echo 0 > \(shellQuote(group.mountPoint + "/cgroup.procs"))"
        }.joined(separator: "\n")
    }

    /// Kills every process in the engine's unified cgroup at once, where the kernel can.
    func kill() {
        for group in delegated where group.isUnified {
            _ = ControlGroup.write("1", to: group.directory + "/cgroup.kill")
        }
    }

    /// Removes every directory with what the engine made under it, once no process is left in
    /// it (waiting up to `limit`); what cannot be removed is left for a later sweep.
    func remove(within limit: Duration = .seconds(2)) {
        kill()
        for group in delegated {
            Self.removeTree(group.directory, deadline: ContinuousClock.now + limit)
        }
    }

    /// Removes the engines' cgroups that harnesses now gone left in every hierarchy.
    static func sweep() {
        for hierarchy in hierarchies() {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: hierarchy.own)) ?? [] where entry.contains(marker) {
                guard let owner = HarnessOwner.owner(of: entry, prefix: ControlGroup.prefix), HarnessOwner.isGone(owner) else { continue }
                let directory = hierarchy.own + "/" + entry
                _ = ControlGroup.write("1", to: directory + "/cgroup.kill")
                removeTree(directory, deadline: ContinuousClock.now + .seconds(1))
            }
        }
    }

    /// Removes `directory`'s sub-cgroups, deepest first, then itself: rmdir fails while a
    /// process is in one, so it tries again until `deadline`.
    private static func removeTree(_ directory: String, deadline: ContinuousClock.Instant) {
        while true {
            if removeOnce(directory) || ContinuousClock.now >= deadline { return }
            usleep(5_000)
        }
    }

    private static func removeOnce(_ directory: String) -> Bool {
        let children = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for child in children {
            var info = stat()
            let path = directory + "/" + child
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, !removeOnce(path) { return false }
        }
        return rmdir(directory) == 0 || errno == ENOENT
    }
}

/// A mounted cgroup hierarchy and the harness's own cgroup in it.
struct CgroupHierarchy: Sendable, Hashable {
    var mountPoint: String
    /// The directory of the harness's own cgroup in this hierarchy.
    var own: String
    var isUnified: Bool
}

extension PodmanControlGroups {
    /// The hierarchies mounted for this process, each once.
    static func hierarchies() -> [CgroupHierarchy] {
        guard let mounts = ControlGroup.readLarge("/proc/self/mountinfo"),
              let membership = ControlGroup.readSmall("/proc/self/cgroup") else { return [] }
        return hierarchies(mountinfo: mounts, cgroup: membership)
    }

    /// The hierarchies in the text of /proc/self/mountinfo, with the harness's own cgroup in
    /// each from the text of /proc/self/cgroup: a v1 hierarchy is the `N:controllers:path` line
    /// whose controllers its mount options name, the unified one the `0::path` line.
    static func hierarchies(mountinfo: String, cgroup: String) -> [CgroupHierarchy] {
        var memberships: [(controllers: Set<Substring>, path: String)] = []
        for line in cgroup.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            memberships.append((Set(fields[1].split(separator: ",")), String(fields[2])))
        }
        var found: [CgroupHierarchy] = []
        var seen = Set<String>()
        for entry in mountinfo.split(separator: "\n") {
            guard let range = entry.range(of: " - ") else { continue }
            let tail = entry[range.upperBound...].split(separator: " ")
            let head = entry[..<range.lowerBound].split(separator: " ")
            guard tail.count >= 3, tail[0] == "cgroup" || tail[0] == "cgroup2", head.count >= 5 else { continue }
            let unified = tail[0] == "cgroup2"
            let options = Set(tail[2].split(separator: ","))
            guard let membership = memberships.first(where: { unified ? $0.controllers.isEmpty : (!$0.controllers.isEmpty && $0.controllers.isSubset(of: options)) })
            else { continue }
            let root = ProcessContainment.unescape(head[3]), mountPoint = ProcessContainment.unescape(head[4])
            guard let relative = relativePath(membership.path, root: root), seen.insert(unified ? "0" : membership.controllers.sorted().joined(separator: ",")).inserted else { continue }
            found.append(CgroupHierarchy(mountPoint: mountPoint, own: mountPoint + relative, isUnified: unified))
        }
        return found
    }

    /// `path` relative to a mount's `root` ("" for the root itself, "/a/b" below), nil outside it.
    private static func relativePath(_ path: String, root: String) -> String? {
        let trimmed = path == "/" ? "" : path
        if root == "/" { return trimmed }
        if path == root { return "" }
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count)) : nil
    }
}
