/// Commands that run under a pseudo-terminal (`TerminalCommand`), one per batch.
extension ShellSession {
    /// Starts `command` in the shell with a terminal of its own, typing the lines of `script` as
    /// their prompts show. Events come as for `start(batch:timeout:)`; the command's output is
    /// what the terminal showed, given when it ends.
    package func start(terminal script: TerminalScript, command: String, timeout: Duration?) -> ShellBatch {
        let terminal: TerminalCommand
        do {
            terminal = try TerminalCommand(script: script, salt: salt)
        } catch {
            var progress = BatchProgress(count: 1, firstNumber: 0, limit: 0, timeout: nil, onOutput: nil, start: .now)
            progress.post(.started(0))
            progress.post(.finished(0, CommandResult(output: Array("\(error.message)\n".utf8), cutBytes: 0, exitStatus: 255,
                                                     timedOut: false, shellEnded: false, duration: .zero)))
            progress.current = 1
            return ShellBatch(session: self, progress: progress)
        }
        var batch = start(batch: [terminal.shellText(for: command)], timeout: timeout)
        batch.progress.terminal = terminal
        return batch
    }

    /// Reads the running command's terminal, if it has one (the poll said it is readable).
    func readTerminal(_ progress: inout BatchProgress) {
        progress.terminal?.read(into: scratch)
    }

    /// The command has ended: what its terminal showed becomes its output. A command that ended
    /// normally has its sentinel on the way; one killed gets a moment.
    func takeTerminalOutput(_ progress: inout BatchProgress, shellEnded: Bool) {
        guard let terminal = progress.terminal else { return }
        progress.terminal = nil
        let grace: Duration = shellEnded ? .milliseconds(100) : .seconds(2)
        terminal.drain(until: ContinuousClock.now + grace, into: scratch)
        terminal.output().withUnsafeBytes { progress.deliver($0) }
        progress.notes = terminal.notes(timedOut: progress.timedOut)
        terminal.terminal.close()
    }
}
