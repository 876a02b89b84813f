/// What one command did.
package struct CommandResult: Sendable {
    /// Merged standard output and standard error, as written (at most the output limit).
    ///
    /// When the command printed more than the limit, this is the first bytes it printed followed
    /// directly by the last bytes (at most 64 KiB); the `cutBytes` between them were left out at
    /// index `cutOffset`.
    package var output: [UInt8]
    /// Bytes of output that were not kept because of the output limit.
    package var cutBytes: Int
    /// Where in `output` the cut bytes stood: the head is `output[..<cutOffset]`, the tail the rest.
    package var cutOffset: Int
    /// The exit status; 128+N for a command killed by signal N.
    package var exitStatus: Int32
    /// The command ran past its timeout and was killed with everything it started.
    package var timedOut: Bool
    /// The shell itself ended during this command (e.g. `exit 3`): later commands cannot run.
    package var shellEnded: Bool
    package var duration: Duration
    /// What the harness has to say about the run besides the output (e.g. a terminal's prompt
    /// that never appeared).
    package var notes: [String] = []
    /// Prompts the page answers that the command never showed (`PromptAnswer`), in order.
    package var unansweredPrompts: [PromptAnswer] = []

    package init(output: [UInt8], cutBytes: Int, cutOffset: Int? = nil, exitStatus: Int32, timedOut: Bool, shellEnded: Bool, duration: Duration) {
        self.output = output
        self.cutBytes = cutBytes
        self.cutOffset = cutOffset ?? output.count
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.shellEnded = shellEnded
        self.duration = duration
    }
}
