import Glibc

/// Orphans a shell left to the harness while the harness is a child subreaper
/// (`ProcessContainment.Mode.subreaper`): a daemon whose parent has exited becomes the harness's
/// child. Which file it came from, its environment says: every process a file starts inherits the
/// file's own TMPDIR unless it clears it.
extension ProcessTree {
    /// Kills the harness's children whose environment holds `entry` (e.g. "TMPDIR=/tmp/x"), with
    /// all their descendants, and reaps them; `spared` (shells still running) are left alone.
    /// Returns how many children were killed.
    @discardableResult
    static func killOrphans(marked entry: String, sparing spared: Set<pid_t>) -> Int {
        let harness = getpid()
        let marker = Array(entry.utf8) + [0]
        var killed = 0
        for _ in 0..<50 {
            let entries = snapshot()
            let orphans = entries.filter { $0.parent == harness && !$0.isZombie && !spared.contains($0.pid) && environment(of: $0.pid, contains: marker) }
            if orphans.isEmpty { break }
            for orphan in orphans {
                for member in members(of: orphan.pid, in: entries) { _ = Glibc.kill(member.pid, SIGKILL) }
                var status: Int32 = 0
                while waitpid(orphan.pid, &status, 0) < 0 && errno == EINTR {}
                killed += 1
            }
        }
        return killed
    }

    /// Whether /proc/PID/environ holds `marker` (an entry ending in its NUL) as a whole entry.
    static func environment(of pid: pid_t, contains marker: [UInt8]) -> Bool {
        let fd = open("/proc/\(pid)/environ", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes: [UInt8] = [0]
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count < 4 << 20 {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        // Each entry follows a NUL (the one put first stands for the start).
        let needle = [0] + marker
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == 0 && bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
