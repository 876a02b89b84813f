import Glibc

/// The processes of one command of a shell, apart from what earlier commands left running.
///
/// PIDs are handed out counting up (and wrapping around): everything the running command started
/// has a PID handed out after the command began, and everything earlier commands left running
/// (`daemon &`, found by `$!`) one handed out before. So a command's processes are the subtrees
/// of the shell's children with PIDs after the boundary, and the processes of the shell's session
/// that lost their parent (`(daemon &)`) with such PIDs and started after the command did.
extension ProcessTree {
    /// Whether `pid` was handed out after `boundary` and not after `last`, PIDs wrapping around.
    static func isHandedOut(_ pid: pid_t, after boundary: pid_t, upTo last: pid_t) -> Bool {
        boundary <= last ? (pid > boundary && pid <= last) : (pid > boundary || pid <= last)
    }

    /// The living processes the command that `shell` runs now started (see above); `tick` is the
    /// clock tick (as /proc counts them) before which the command had not started.
    static func commandMembers(of shell: pid_t, after boundary: pid_t, upTo last: pid_t, startedAfter tick: UInt64,
                               in entries: [Entry]) -> [Entry] {
        var children: [pid_t: [pid_t]] = [:]
        for entry in entries { children[entry.parent, default: []].append(entry.pid) }
        // Everything under the shell, to tell the session's orphans from the rest.
        var underShell = Set<pid_t>()
        var pending = [shell]
        while let pid = pending.popLast() {
            for child in children[pid] ?? [] where underShell.insert(child).inserted { pending.append(child) }
        }
        var chosen = Set<pid_t>()
        pending = []
        for entry in entries where entry.pid != shell && isHandedOut(entry.pid, after: boundary, upTo: last) {
            let ownChild = entry.parent == shell
            let orphan = entry.session == shell && !underShell.contains(entry.pid) && entry.startTime > tick
            if (ownChild || orphan) && chosen.insert(entry.pid).inserted { pending.append(entry.pid) }
        }
        while let pid = pending.popLast() {
            for child in children[pid] ?? [] where chosen.insert(child).inserted { pending.append(child) }
        }
        return entries.filter { chosen.contains($0.pid) && !$0.isZombie }
    }

    /// Sends SIGKILL to what the running command of `shell` started (`commandMembers`), scanning
    /// again until nothing is left (a process may fork while its siblings are killed).
    static func killCommand(of shell: pid_t, after boundary: pid_t, startedAfter tick: UInt64) {
        for round in 0..<200 {
            guard let last = lastPID() else { return }
            // Without a wrap-around since the boundary, no process of the command has a lower PID.
            let entries = snapshot(from: boundary <= last ? boundary : nil)
            let targets = commandMembers(of: shell, after: boundary, upTo: last, startedAfter: tick, in: entries)
            if targets.isEmpty { return }
            for target in targets { _ = Glibc.kill(target.pid, SIGKILL) }
            usleep(round < 10 ? 200 : 2_000)
        }
    }

    /// The clock tick (as /proc counts a process's start, from boot) of `instant`.
    static func bootTick(of instant: ContinuousClock.Instant) -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        let ticksPerSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
        let nowNanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
        let (seconds, attoseconds) = (ContinuousClock.now - instant).components
        let ago = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds / 1_000_000_000))
        return (nowNanoseconds - min(ago, nowNanoseconds)) / (1_000_000_000 / ticksPerSecond)
    }
}
