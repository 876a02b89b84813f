import Glibc

/// The processes a shell started, found in /proc: every process of the shell's session and every
/// descendant of the shell (a daemon that called setsid is still found while its parent lives).
enum ProcessTree {
    struct Entry {
        var pid: pid_t
        var parent: pid_t
        var session: pid_t
        var isZombie: Bool
        /// Stopped by a signal (state T) or traced (t).
        var isStopped: Bool = false
        /// Clock ticks after boot when it started: with the PID, it names one process for good.
        var startTime: UInt64
    }

    /// Every process visible in /proc, read once; with `floor`, only those with a PID from `floor`
    /// up (reading a process's stat costs three system calls). A caller that knows no PID has
    /// wrapped around since a process started passes its PID: every process started since then
    /// has a larger one.
    static func snapshot(from floor: pid_t? = nil) -> [Entry] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        let floor = floor ?? 0
        var entries: [Entry] = []
        while let item = readdir(directory) {
            let pid = withUnsafeBytes(of: item.pointee.d_name) { raw -> pid_t? in
                var value: pid_t = 0
                for byte in raw {
                    if byte == 0 { break }
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), value < pid_t.max / 10 - 9 else { return nil }
                    value = value * 10 + pid_t(byte - UInt8(ascii: "0"))
                }
                return value > 0 ? value : nil
            }
            guard let pid, pid >= floor, let entry = read(pid) else { continue }
            entries.append(entry)
        }
        return entries
    }

    /// The first `capacity` bytes of a /proc file, read with one system call (no Foundation).
    private static func readSmallFile(_ path: String, capacity: Int) -> ArraySlice<UInt8>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: capacity)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? buffer[0..<count] : nil
    }

    /// The child of `parent` whose PID in its own (innermost) PID namespace is `inner`, by its PID
    /// here; nil when there is none.
    static func child(of parent: pid_t, withInnerPID inner: pid_t, floor: pid_t?) -> pid_t? {
        snapshot(from: floor).first { $0.parent == parent && innermostPID(of: $0.pid) == inner }?.pid
    }

    /// The last PID of /proc/PID/status's `NSpid:` line: the process's PID in its own namespace.
    static func innermostPID(of pid: pid_t) -> pid_t? {
        guard let bytes = readSmallFile("/proc/\(pid)/status", capacity: 4096) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
              let last = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last else { return nil }
        return pid_t(last)
    }

    /// The PID the kernel handed out last (in this PID namespace), if it says.
    static func lastPID() -> pid_t? {
        guard let bytes = readSmallFile("/proc/sys/kernel/ns_last_pid", capacity: 32) else { return nil }
        let digits = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard !digits.isEmpty else { return nil }
        return pid_t(String(decoding: digits, as: UTF8.self))
    }

    /// Parses /proc/PID/stat: "pid (comm) state ppid pgrp session ...", where comm may hold
    /// spaces and parentheses, so the fields are counted from the last ')'.
    static func read(_ pid: pid_t) -> Entry? {
        guard let bytes = readSmallFile("/proc/\(pid)/stat", capacity: 1024) else { return nil }
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count >= 20,
              let parent = pid_t(String(decoding: fields[1], as: UTF8.self)),
              let session = pid_t(String(decoding: fields[3], as: UTF8.self)),
              let startTime = UInt64(String(decoding: fields[19], as: UTF8.self))
        else { return nil }
        let state = fields[0].first
        return Entry(
            pid: pid, parent: parent, session: session,
            isZombie: state == UInt8(ascii: "Z"), isStopped: state == UInt8(ascii: "T") || state == UInt8(ascii: "t"),
            startTime: startTime
        )
    }

    /// The living processes of `leader`'s session and its descendants, the leader itself included.
    static func members(of leader: pid_t, in entries: [Entry]) -> [Entry] {
        var children: [pid_t: [pid_t]] = [:]
        for entry in entries { children[entry.parent, default: []].append(entry.pid) }
        var chosen = Set<pid_t>([leader])
        var pending = [leader]
        for entry in entries where entry.session == leader && chosen.insert(entry.pid).inserted {
            pending.append(entry.pid)
        }
        while let pid = pending.popLast() {
            for child in children[pid] ?? [] where chosen.insert(child).inserted {
                pending.append(child)
            }
        }
        return entries.filter { chosen.contains($0.pid) && !$0.isZombie }
    }

    /// Descendants of `leader` that left its session (daemons): once the leader exits they are
    /// orphans found by nothing else, so they are noted while the tree still holds them.
    static func escaped(from leader: pid_t, floor: pid_t? = nil) -> [Entry] {
        members(of: leader, in: snapshot(from: floor)).filter { $0.session != leader }
    }

    /// Sends SIGKILL to everything `leader` started, and to the leader unless `sparingLeader`,
    /// and to those of `noted` that still run (with their descendants), scanning again until
    /// nothing is left (a process may fork while its siblings are killed).
    static func kill(sessionOf leader: pid_t, sparingLeader: Bool, alsoKilling noted: [Entry] = [], floor: pid_t? = nil) {
        for round in 0..<200 {
            let entries = snapshot(from: floor)
            var targets = members(of: leader, in: entries).filter { !(sparingLeader && $0.pid == leader) }
            for old in noted {
                guard entries.contains(where: { $0.pid == old.pid && $0.startTime == old.startTime && !$0.isZombie }) else { continue }
                targets += members(of: old.pid, in: entries).filter { $0.pid == old.pid || $0.session != leader }
            }
            if targets.isEmpty { return }
            for target in targets { _ = Glibc.kill(target.pid, SIGKILL) }
            // A killed process takes a moment to become a zombie; look again shortly.
            usleep(round < 10 ? 200 : 2_000)
        }
    }
}
