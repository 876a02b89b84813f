/// One shell process for one transcript file: commands are fed to it one at a time, their
/// merged standard output and standard error are collected while they run, and everything it
/// started is killed when the session ends.
package final class ShellSession: @unchecked Sendable {
    package struct Configuration: Sendable {
        /// The shell program, e.g. "bash" (looked up on PATH) or an absolute path.
        package var shell: String = "bash"
        package var workingDirectory: String
        /// The complete environment of the shell.
        package var environment: [String: String]
        /// Bytes of output kept per command; the rest is counted, not kept.
        package var outputLimit: Int = 16 << 20

        package init(shell: String = "bash", workingDirectory: String, environment: [String: String], outputLimit: Int = 16 << 20) {
            self.shell = shell
            self.workingDirectory = workingDirectory
            self.environment = environment
            self.outputLimit = outputLimit
        }
    }

    package let configuration: Configuration

    package init(configuration: Configuration) throws(ExecutionError) {
        self.configuration = configuration
    }

    /// Runs one command (possibly several lines) and waits for it, at most `timeout`.
    package func run(_ command: String, timeout: Duration?) -> CommandResult {
        CommandResult(output: [], cutBytes: 0, exitStatus: 0, timedOut: false, shellEnded: false, duration: .zero)
    }

    /// Sets and exports a variable in the shell, for every later command.
    package func export(_ name: String, value: String) {}

    /// Ends the shell and kills every process it started. Safe to call more than once.
    package func terminate() {}
}

/// What one command did.
package struct CommandResult: Sendable {
    /// Merged standard output and standard error, as written (at most the output limit).
    package var output: [UInt8]
    /// Bytes of output that were not kept because of the output limit.
    package var cutBytes: Int
    /// The exit status; 128+N for a command killed by signal N.
    package var exitStatus: Int32
    /// The command ran past its timeout and was killed with everything it started.
    package var timedOut: Bool
    /// The shell itself ended during this command (e.g. `exit 3`): later commands cannot run.
    package var shellEnded: Bool
    package var duration: Duration

    package init(output: [UInt8], cutBytes: Int, exitStatus: Int32, timedOut: Bool, shellEnded: Bool, duration: Duration) {
        self.output = output
        self.cutBytes = cutBytes
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.shellEnded = shellEnded
        self.duration = duration
    }
}

/// A shell that could not be started.
package struct ExecutionError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
