import Glibc

/// The shell's end: looking whether it has exited, waiting for it, reaping it.
extension ShellSession {
    /// The floor for a scan of /proc now; nil (read all) for good once the PIDs handed out were
    /// seen to wrap around. Looked at with each batch, so only a whole cycle of PIDs within one
    /// batch would go unseen.
    func scanFloor() -> pid_t? {
        guard let floor = pidFloor else { return nil }
        guard let last = ProcessTree.lastPID(), last >= lastPIDSeen, last >= floor else {
            pidFloor = nil
            return nil
        }
        lastPIDSeen = last
        return floor
    }

    /// Whether the shell has exited (without reaping it).
    func hasExited() -> Bool {
        guard let processID else { return true }
        var info = siginfo_t()
        while waitid(P_PID, id_t(processID), &info, WEXITED | WNOHANG | WNOWAIT) < 0 {
            if errno != EINTR { return true }
        }
        // With no exit to report, waitid leaves `info` as it was: zeroed.
        return info.si_signo == SIGCHLD
    }

    /// Waits at most `limit` for the shell to exit, without reaping it.
    func waitForExit(within limit: Duration) {
        let deadline = ContinuousClock.now + limit
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return }
            if exitFD < 0 {
                // Without a pidfd, look now and then.
                if hasExited() { return }
                usleep(2_000)
                continue
            }
            var fds = [pollfd(fd: exitFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 1, Self.milliseconds(roundingUp: remaining))
            if ready < 0 && errno == EINTR { continue }
            return
        }
    }

    /// Kills the shell and all it started, reaps it, and returns its exit status. The shell is
    /// reaped last: until then its PID, the session's ID, cannot be reused by another session.
    /// In a cgroup, its kill reaches every process the shell started (the caller waits for the
    /// cgroup to be empty, `ControlGroup.removeLater`); without one, the session and the
    /// shell's descendants are looked for in /proc.
    func endShell(alsoKilling escaped: [ProcessTree.Entry] = []) -> Int32 {
        if let endStatus { return endStatus }
        guard let processID else { return 255 }
        if let group {
            group.kill()
        } else {
            ProcessTree.kill(sessionOf: processID, sparingLeader: false, alsoKilling: escaped, floor: scanFloor())
        }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(processID, &status, 0) } while result < 0 && errno == EINTR
        ProcessContainment.note(shell: processID, running: false)
        let exitStatus: Int32
        if result != processID {
            exitStatus = 255
        } else if status & 0x7f == 0 {
            exitStatus = (status >> 8) & 0xff
        } else {
            exitStatus = 128 + (status & 0x7f)
        }
        endStatus = exitStatus
        pendingScript.removeAll()
        return exitStatus
    }

    static func milliseconds(roundingUp duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
