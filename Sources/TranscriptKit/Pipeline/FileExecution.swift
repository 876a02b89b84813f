/// The state of one file while it runs: where the next batch of commands starts, the bindings
/// so far, and the outcomes recorded. `FileRunner` advances it with a plain loop: take the next
/// batch, send it to the shell, record each command's result as it arrives.
struct FileExecution {
    /// A run of consecutive commands of one block, sent to the shell at once.
    struct Batch {
        var block: Int
        /// The index of the batch's first command in the block.
        var first: Int
        /// The commands as they run (example bindings substituted).
        var texts: [String]
        var timeout: Duration
        /// The prompts commands answer (`PromptAnswer`), by index in the batch.
        var answers: [Int: [PromptAnswer]] = [:]
    }

    /// What recording one command's result came to, for the observer and the shell.
    struct Recorded {
        var outcome: CommandOutcome
        /// Variables its match captured, to export to the shell before the next batch.
        var captured: [(name: String, value: String)]
        /// Whether its match bound new examples.
        var boundExamples: Bool
    }

    let plan: FilePlan
    let selection: BlockSelection
    private(set) var bindings = Bindings()
    private(set) var blocks: [BlockOutcome] = []
    private(set) var shellEnded = false
    /// The block being run and the index of its next command; nil before the first block.
    private var cursor: (block: Int, command: Int)?
    /// The commands of the block being run, recorded so far.
    private var commands: [CommandOutcome] = []
    private var blockStart = ContinuousClock.now
    /// Whether the block at the cursor has started and is not closed yet.
    private var blockOpen = false

    init(plan: FilePlan, selection: BlockSelection) {
        self.plan = plan
        self.selection = selection
    }

    /// The next batch to run, or nil when every block is done. Skipped blocks, and commands the
    /// shell did not live to run, are recorded on the way.
    mutating func nextBatch() -> Batch? {
        while true {
            guard let (block, command) = advance() else { return nil }
            let commandsOfBlock = plan.transcript.blocks[block].commands
            if shellEnded {
                let skipped = commandsOfBlock[command]
                commands.append(CommandOutcome(index: command, line: skipped.line, text: skipped.text, status: .notRun))
                cursor = (block, command + 1)
                continue
            }
            let end = plan.batchEnd(block: block, from: command)
            let texts = commandsOfBlock[command...end].map { bindings.substitute(in: $0.text) }
            cursor = (block, end + 1)
            var batch = Batch(block: block, first: command, texts: texts,
                              timeout: plan.options[block].timeout ?? RunSettings.defaultTimeout)
            for index in command...end {
                let answers = plan.prompts.answers(in: commandsOfBlock[index])
                if !answers.isEmpty { batch.answers[index - command] = answers }
            }
            return batch
        }
    }

    /// The block and command to run next, closing finished blocks and recording skipped ones.
    private mutating func advance() -> (block: Int, command: Int)? {
        let all = plan.transcript.blocks
        var (block, command) = cursor ?? (-1, 0)
        while block < 0 || command >= all[block].commands.count {
            if blockOpen { closeBlock(block) }
            block += 1
            command = 0
            guard block < all.count else {
                cursor = (block, 0)
                return nil
            }
            if let reason = selection.skips[block] {
                blocks.append(BlockOutcome(index: block, line: all[block].openingLine, heading: all[block].heading,
                                           status: .skipped(reason: reason)))
                command = Int.max
                continue
            }
            blockOpen = true
            blockStart = ContinuousClock.now
        }
        cursor = (block, command)
        return (block, command)
    }

    /// Records the result of the command at `offset` in `batch`.
    mutating func record(_ batch: Batch, offset: Int, result: CommandResult) -> Recorded {
        let index = batch.first + offset
        let command = plan.transcript.blocks[batch.block].commands[index]
        let options = plan.options[batch.block]
        let before = bindings
        let match = plan.matchers[batch.block][index].match(result.output, bindings: &bindings)
        let text = batch.texts[offset]
        var outcome = CommandOutcome(index: index, line: command.line, text: command.text,
                                     ranText: text == command.text ? nil : text, status: .passed,
                                     result: result, match: match, expectedExit: command.exitStatus?.status)
        outcome.bindingsBefore = before
        let checkExit = !options.ignoresExit || command.exitStatus != nil
        if checkExit && result.exitStatus != (command.exitStatus?.status ?? 0) && !result.timedOut {
            outcome.exitMismatch = true
        }
        if result.timedOut {
            outcome.messages.append("timed out after \(formatDuration(batch.timeout)): killed with everything it started")
        }
        if result.cutBytes > 0 { outcome.messages.append("output cut: \(result.cutBytes) bytes were not kept") }
        if let message = match.message { outcome.messages.append(message) }
        if let prompt = result.unansweredPrompts.first, !match.passed || result.timedOut {
            outcome.messages.append("the page answers a prompt that never appeared: '\(prompt.prompt)' (line \(prompt.line))")
        }
        if result.shellEnded { noteShellEnd(&outcome, block: batch.block, index: index, result: result) }
        if !match.passed || outcome.exitMismatch || result.timedOut { outcome.status = .failed }
        commands.append(outcome)
        if result.shellEnded { cursor = (batch.block, index + 1) }
        return Recorded(outcome: outcome, captured: bindings.takeNewlyCaptured(),
                        boundExamples: bindings.examples.count != before.examples.count)
    }

    /// The shell ended with this command: the commands after it will not run.
    private mutating func noteShellEnd(_ outcome: inout CommandOutcome, block: Int, index: Int, result: CommandResult) {
        shellEnded = true
        let remaining = plan.transcript.blocks[block].commands.count - index - 1
            + selection.commandsAfter(block: block, in: plan.transcript)
        guard remaining > 0 else { return }
        // A timed-out command normally leaves the shell running (`ShellSession.endCommand`); not
        // in shells other than bash, nor when the command keeps the shell from leaving it.
        let why = result.timedOut ? "the shell could not leave the command and was killed with it"
            : "the shell ended here (status \(result.exitStatus))"
        outcome.messages.append("\(why); \(remaining) later command\(remaining == 1 ? "" : "s") not run")
        outcome.status = .failed
    }

    /// The outcome of block `index`, whose commands are all recorded.
    private mutating func closeBlock(_ index: Int) {
        let block = plan.transcript.blocks[index]
        let options = plan.options[index]
        let failed = commands.contains { $0.status != .passed }
        let ran = commands.contains { $0.status != .notRun }
        var status: BlockOutcome.Status
        if !ran && !commands.isEmpty {
            status = .notRun
        } else if let reason = options.diverges {
            status = failed ? .diverged(reason: reason) : .nowConforms(reason: reason)
        } else {
            status = failed ? .failed : .passed
        }
        if case .notRun = status, options.diverges != nil { status = .diverged(reason: options.diverges ?? "") }
        blocks.append(BlockOutcome(index: index, line: block.openingLine, heading: block.heading, status: status,
                                   commands: commands, duration: ContinuousClock.now - blockStart))
        commands = []
        blockOpen = false
    }
}
