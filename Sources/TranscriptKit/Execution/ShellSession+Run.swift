/// Running commands with callbacks: a thin layer over the pulled `ShellBatch`.
extension ShellSession {
    /// Runs one command (possibly several lines) and waits for it, at most `timeout`.
    package func run(_ command: String, timeout: Duration?) -> CommandResult {
        run(command, timeout: timeout, onOutput: nil)
    }

    /// Runs one command and waits for it, at most `timeout`; `onOutput` sees each piece of output
    /// as it arrives (the bytes are valid only during the call), before any output limit.
    package func run(_ command: String, timeout: Duration?, onOutput: ((UnsafeRawBufferPointer) -> Void)?) -> CommandResult {
        var result: CommandResult?
        run(batch: [command], timeout: timeout, onOutput: onOutput) { _, finished in result = finished }
        return result ?? CommandResult(output: [], cutBytes: 0, exitStatus: endStatus ?? 255, timedOut: false,
                                       shellEnded: true, duration: .zero)
    }

    /// Runs `commands` as one batch (see `ShellBatch`), calling `started` and `finished` for each
    /// command in turn; they may call `export`.
    package func run(
        batch commands: [String], timeout: Duration?, onOutput: ((UnsafeRawBufferPointer) -> Void)? = nil,
        started: (Int) -> Void = { _ in }, finished: (Int, CommandResult) -> Void
    ) {
        var batch = start(batch: commands, timeout: timeout, onOutput: onOutput)
        while let event = batch.next() {
            switch event {
            case .started(let index): started(index)
            case .finished(let index, let result): finished(index, result)
            }
        }
    }
}
