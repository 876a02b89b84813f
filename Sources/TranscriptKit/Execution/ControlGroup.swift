import Glibc

/// A cgroup v2 of the unified hierarchy that holds one shell and everything it starts: the kernel
/// keeps every descendant in it (setsid, double forks and daemons included), and writing 1 to its
/// `cgroup.kill` ends them all at once.
///
/// Its name says whose it is, `transcript-<owner>-<number>` (`HarnessOwner`), so that a run
/// after a harness killed outright removes what that harness left (`sweep(_:)`).
final class ControlGroup: @unchecked Sendable {
    /// The cgroup's directory.
    let path: String

    private init(path: String) {
        self.path = path
    }

    /// The name prefix of every cgroup the harness makes.
    static let prefix = "transcript-"

    /// Makes a fresh cgroup `transcript-<owner>-<number>` under `parent`; nil (with errno) when
    /// the hierarchy refuses, or when the kernel has no `cgroup.kill` (before Linux 5.14).
    static func make(under parent: String, owner: String, number: Int) -> ControlGroup? {
        let path = parent + "/" + prefix + owner + "-" + String(number)
        guard mkdir(path, 0o755) == 0 else { return nil }
        guard access(path + "/cgroup.kill", W_OK) == 0 else {
            let code = errno
            rmdir(path)
            errno = code
            return nil
        }
        return ControlGroup(path: path)
    }

    /// Moves process `pid` (with all its threads) into the cgroup; false with errno when refused.
    func add(_ pid: pid_t) -> Bool {
        Self.write(String(pid), to: path + "/cgroup.procs")
    }

    /// A descriptor of the cgroup's directory (close-on-exec), to start a process in it with
    /// clone3's CLONE_INTO_CGROUP; nil with errno when it cannot be opened.
    func openDirectory() -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        return fd >= 0 ? fd : nil
    }

    /// Sends SIGKILL to every process in the cgroup and its descendants, at once.
    @discardableResult
    func kill() -> Bool {
        Self.write("1", to: path + "/cgroup.kill")
    }

    /// Whether any process is left in the cgroup or below it.
    var isPopulated: Bool { Self.isPopulated(path) }

    /// Kills what is left, waits up to `limit` for it to end and removes the cgroup; false when
    /// something was still there at the limit (the cgroup stays; a later sweep removes it).
    @discardableResult
    func remove(within limit: Duration = .seconds(2)) -> Bool {
        Self.removeTree(path, within: limit)
    }

    /// Removes the cgroups under `parent` left by harnesses that are gone, killing what still
    /// runs in them (daemons of a harness killed with SIGKILL). Returns how many were removed.
    @discardableResult
    static func sweep(_ parent: String) -> Int {
        guard let directory = opendir(parent) else { return 0 }
        var stale: [String] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let owner = HarnessOwner.owner(of: name, prefix: prefix), HarnessOwner.isGone(owner) else { continue }
            stale.append(parent + "/" + name)
        }
        closedir(directory)
        return stale.filter { removeTree($0, within: .seconds(2)) }.count
    }

    /// Kills everything in the cgroup at `path` (its sub-cgroups included), then removes the
    /// sub-cgroups and the cgroup itself once they are empty.
    private static func removeTree(_ path: String, within limit: Duration) -> Bool {
        _ = write("1", to: path + "/cgroup.kill")
        let deadline = ContinuousClock.now + limit
        var pause: UInt32 = 50
        while isPopulated(path) {
            if ContinuousClock.now >= deadline { return false }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
        for child in subgroups(of: path) where !removeTree(child, within: .zero) { return false }
        return rmdir(path) == 0 || errno == ENOENT
    }

    /// The sub-cgroups directly under `path`.
    private static func subgroups(of path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var found: [String] = []
        while let item = readdir(directory) {
            guard item.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { found.append(path + "/" + name) }
        }
        return found
    }

    /// `populated 1` in the cgroup's `cgroup.events`: a process is in it or below it. A cgroup
    /// that cannot be read holds nothing the harness can end.
    static func isPopulated(_ path: String) -> Bool {
        guard let text = readSmall(path + "/cgroup.events") else { return false }
        return eventsSayPopulated(text)
    }

    /// Reads `populated` from the text of a `cgroup.events` file.
    static func eventsSayPopulated(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0 == "populated 1" }
    }

    /// Writes `text` to a cgroup control file in one call; false with errno when refused.
    static func write(_ text: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        while true {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count == bytes.count { return true }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }

    /// The first 4 KiB of a small kernel file.
    static func readSmall(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return count >= 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }
}

extension ControlGroup {
    /// A whole kernel text file read in pieces (mountinfo can pass 4 KiB).
    static func readLarge(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
