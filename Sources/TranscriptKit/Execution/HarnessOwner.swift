import Glibc

/// Names a harness process for good: its PID and the clock tick it started at, written
/// `<pid>.<ticks>`. What the harness leaves under that name (cgroups, the files' temporary
/// directories) can be told apart from what a living harness uses: a later run removes it once
/// no process with that PID and start is there, a PID reused since included.
enum HarnessOwner {
    /// This process's name.
    static let current: String = {
        let pid = getpid()
        return "\(pid).\(ProcessTree.read(pid)?.startTime ?? 0)"
    }()

    /// The owner in a name `<prefix><pid>.<ticks>-<rest>`; nil for any other name.
    static func owner(of name: String, prefix: String) -> String? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-"), dash != rest.endIndex else { return nil }
        let owner = String(rest[..<dash])
        return parse(owner) == nil ? nil : owner
    }

    /// The PID and start tick of an owner; nil unless it is `<digits>.<digits>`.
    static func parse(_ owner: String) -> (pid: pid_t, start: UInt64)? {
        let parts = owner.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = pid_t(parts[0]), pid > 0, let start = UInt64(parts[1])
        else { return nil }
        return (pid, start)
    }

    /// Whether the harness named `owner` has ended: no process has its PID, or the one that has
    /// started at another tick, or it is a zombie. An unreadable name counts as alive.
    static func isGone(_ owner: String) -> Bool {
        guard let (pid, start) = parse(owner) else { return false }
        guard let entry = ProcessTree.read(pid) else { return kill(pid, 0) != 0 && errno == ESRCH }
        return entry.isZombie || entry.startTime != start
    }
}
