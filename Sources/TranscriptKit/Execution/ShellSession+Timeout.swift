import Glibc

/// A command past its time limit: ending it, and only it, so that the shell goes on.
extension ShellSession {
    /// How many times the harness kills what the command started and tells the shell to leave it,
    /// and how long it waits each time for the command's marker.
    static let abortRounds = 5
    static let abortWait: Duration = .milliseconds(200)

    /// The running command is past its deadline. With bash, ends that command alone: the shell
    /// is stopped, so that it can start nothing while the harness looks; what the command
    /// started is killed (`ProcessTree.killCommand`), and the shell, continued, is signalled to
    /// leave the rest of the command (`ShellScript.abortableStart`): its marker comes, and the
    /// shell goes on with the next command, its working directory, variables and functions as
    /// they were. Returns false when the shell cannot go on (another shell, a command that traps
    /// the signal itself, a shell that ended): the caller kills it with everything.
    func endCommand(_ progress: inout BatchProgress) -> Bool {
        guard grouped, let shell = startedID, let batchBoundary = progress.pidBoundary else { return false }
        let command = progress.current
        let tick = ProcessTree.bootTick(of: progress.start)
        for _ in 0..<Self.abortRounds {
            guard stop(shell) else { return false }
            // What the shell wrote before it stopped: the command may have ended just now.
            drainOutput(&progress)
            if progress.current != command {
                _ = kill(shell, SIGCONT)
                return true
            }
            progress.timedOut = true
            progress.outputClosed = true
            // A background process started within the batch is the last one before the command.
            let boundary = lastBackgroundPID != progress.backgroundAtStart ? lastBackgroundPID : batchBoundary
            ProcessTree.killCommand(of: shell, after: boundary, startedAfter: tick)
            // A builtin `read` waiting for an answer whose prompt never came ends at its input's end.
            progress.feeds[command]?.input.finishWriting()
            _ = kill(shell, ShellScript.abortSignal)
            _ = kill(shell, SIGCONT)
            switch pump(until: ContinuousClock.now + Self.abortWait, &progress) {
            case .progress: return true
            case .shellExited: return false
            case .deadline: continue
            }
        }
        return false
    }

    /// Stops the shell (SIGSTOP) and waits until it is stopped; false when it has ended.
    private func stop(_ shell: pid_t) -> Bool {
        guard kill(shell, SIGSTOP) == 0 else { return false }
        for _ in 0..<2_000 {
            guard let entry = ProcessTree.read(shell), !entry.isZombie else { return false }
            if entry.isStopped { return true }
            usleep(100)
        }
        return false
    }
}
