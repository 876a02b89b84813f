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
        /// The one command of the batch runs under a terminal, typed into by this script.
        var terminal: TerminalScript?
        /// The whole block, run in a second shell while the next blocks run (`BackgroundBlock`).
        var background = false
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
    /// The file's `skip-exit` status, when the shell ended with it: the file is skipped.
    private(set) var skippedByExit: Int32?
    /// The block being run and the index of its next command; nil before the first block.
    private var cursor: (block: Int, command: Int)?
    /// The commands of the block being run, recorded so far.
    private var commands: [CommandOutcome] = []
    private var blockStart = ContinuousClock.now
    /// Whether the block at the cursor has started and is not closed yet.
    private var blockOpen = false

    /// Text replaced in every command's output before it is compared (prysk writes its
    /// temporary directory as `$TMPDIR`).
    var outputReplacement: (from: [UInt8], to: [UInt8])?

    /// How much of a failing command's diff is kept (`RunSettings.diffBounds`).
    let diffBounds: DiffBounds?
    /// The engine kind the file runs on, whose `diverges.ENGINE=` apply; nil for none.
    let engine: String?

    /// `variables`: the built-in variables' values (`Bindings.builtInNames`).
    init(plan: FilePlan, selection: BlockSelection, diffBounds: DiffBounds? = DiffBounds(), engine: String? = nil,
         variables: [String: String] = [:]) {
        self.plan = plan
        bindings = Bindings(variables: variables)
        self.selection = selection
        self.diffBounds = diffBounds
        self.engine = engine
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
            let timeout = plan.options[block].timeout ?? RunSettings.defaultTimeout
            if plan.options[block].runsInBackground {
                // Its outcome comes later, from `recordBackground`: the block is not open here.
                cursor = (block, commandsOfBlock.count)
                blockOpen = false
                return Batch(block: block, first: 0, texts: commandsOfBlock.map { bindings.substitute(in: $0.text) },
                             timeout: timeout, background: true)
            }
            if let unbound = unboundExample(block: block, command: command) {
                let held = commandsOfBlock[command]
                commands.append(CommandOutcome(index: command, line: held.line, text: held.text, status: .failed,
                                               messages: [neverBound(unbound)]))
                cursor = (block, command + 1)
                continue
            }
            var end = command
            let last = plan.batchEnd(block: block, from: command)
            while end < last, unboundExample(block: block, command: end + 1) == nil { end += 1 }
            let texts = commandsOfBlock[command...end].map { item in
                wrapped(bindings.substitute(in: item.text), line: item.line, options: plan.options[block])
            }
            cursor = (block, end + 1)
            var batch = Batch(block: block, first: command, texts: texts, timeout: timeout,
                              terminal: plan.terminal(block: block, command: command))
            // cram's and scrut's lines are output only: they answer no prompt.
            for index in command...end where plan.options[block].dialect == nil {
                let answers = plan.prompts.answers(in: commandsOfBlock[index])
                if !answers.isEmpty { batch.answers[index - command] = answers }
            }
            return batch
        }
    }

    /// An example value the command uses that no match has bound yet: run as written, it would
    /// name the author's container, not the engine's.
    /// A command's text as it runs: under scrut's environment with SCRUT_TEST (`PATH:LINE`), and
    /// with a block's scrut configuration or `stream=` applied (`ScrutCase.wrapping`).
    private func wrapped(_ text: String, line: Int, options: Options) -> String {
        let test = options.environment == .scrut ? "\(plan.transcript.source.path):\(line)" : nil
        guard options.scrutCase != nil || test != nil else { return text }
        return (options.scrutCase ?? ScrutCase()).wrapping(text, test: test)
    }

    private func unboundExample(block: Int, command: Int) -> ExampleMention? {
        plan.matchers[block][command].exampleMentions.first { bindings.examples.boundValue(forWord: $0.word) == nil }
    }

    /// "example c3f279d17e0a was never bound: line 58 did not match".
    private func neverBound(_ mention: ExampleMention) -> String {
        let why = "example \(mention.word) was never bound"
        for (index, block) in plan.transcript.blocks.enumerated() {
            guard let shown = block.commands.firstIndex(where: { $0.outputLines.contains(mention.line) }) else { continue }
            let recorded = cursor?.block == index ? commands : blocks.first { $0.index == index }?.commands ?? []
            if recorded.contains(where: { $0.index == shown && $0.result != nil }) {
                return "\(why): line \(mention.line) did not match; the command was not run"
            }
            return "\(why): the command that shows it at line \(mention.line) did not run; this one was not run either"
        }
        return "\(why); the command was not run"
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
                                           status: .skipped(reason: reason), origin: all[block].origin))
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
        let before = bindings
        var outcome = match(batch, offset: offset, result: result)
        if result.shellEnded, !result.timedOut, let skip = plan.fileOptions.skipExit, result.exitStatus == skip {
            skippedByExit = skip
            shellEnded = true
        } else if result.shellEnded {
            noteShellEnd(&outcome, block: batch.block, index: index, result: result)
        }
        commands.append(outcome)
        if result.shellEnded { cursor = (batch.block, index + 1) }
        return Recorded(outcome: outcome, captured: bindings.takeNewlyCaptured(),
                        boundExamples: bindings.examples.count != before.examples.count)
    }

    /// The outcome of the command at `offset` in `batch`, its output matched with the bindings
    /// in force (which its match updates).
    private mutating func match(_ batch: Batch, offset: Int, result: CommandResult) -> CommandOutcome {
        let index = batch.first + offset
        let command = plan.transcript.blocks[batch.block].commands[index]
        let options = plan.options[batch.block]
        let before = bindings
        let output = outputReplacement.map { result.output.replacingBytes($0.from, with: $0.to) } ?? result.output
        let match = plan.matchers[batch.block][index].match(output, bindings: &bindings, bounds: diffBounds)
        let text = batch.texts[offset]
        var outcome = CommandOutcome(index: index, line: command.line, text: command.text,
                                     ranText: text == command.text ? nil : text, status: .passed,
                                     result: result, match: match)
        let expected = plan.expectedStatus(block: batch.block, command: index)
        outcome.expectedExit = expected.stated ? expected.status : nil
        outcome.bindingsBefore = before
        let checkExit = !options.ignoresExit || expected.stated
        if checkExit && result.exitStatus != expected.status && !result.timedOut {
            outcome.exitMismatch = true
        }
        if result.timedOut {
            outcome.messages.append("timed out after \(formatDuration(batch.timeout)): killed with everything it started")
        }
        if result.cutBytes > 0 { outcome.messages.append("output cut: \(result.cutBytes) bytes were not kept") }
        if let message = match.message { outcome.messages.append(message) }
        outcome.messages += result.notes
        if let prompt = result.unansweredPrompts.first, !match.passed || result.timedOut {
            outcome.messages.append("the page answers a prompt that never appeared: '\(prompt.prompt)' (line \(prompt.line))")
        }
        if !match.passed || outcome.exitMismatch || result.timedOut { outcome.status = .failed }
        return outcome
    }

    /// Records what a background block came to, at its own place among the blocks: `results` of
    /// the commands that ran, in order (the last one ended its shell, or was killed, when fewer
    /// than all ran). Returns each command's record, for the observer and the shell.
    mutating func recordBackground(_ batch: Batch, _ finished: BackgroundBlock.Finished) -> [Recorded] {
        let block = plan.transcript.blocks[batch.block]
        var outcomes: [CommandOutcome] = []
        var records: [Recorded] = []
        for (offset, result) in finished.results.enumerated() {
            let before = bindings
            var outcome = match(batch, offset: offset, result: result)
            let remaining = block.commands.count - offset - 1
            if offset == finished.results.count - 1, finished.killedAtFileEnd {
                outcome.messages.append("still running when the file ended: killed with everything it started")
                outcome.status = .failed
            } else if result.shellEnded, remaining > 0 {
                let why = result.timedOut ? "its shell was killed with it" : "its shell ended here (status \(result.exitStatus))"
                outcome.messages.append("\(why); \(remaining) later command\(remaining == 1 ? "" : "s") of the background block not run")
                outcome.status = .failed
            }
            outcomes.append(outcome)
            records.append(Recorded(outcome: outcome, captured: bindings.takeNewlyCaptured(),
                                    boundExamples: bindings.examples.count != before.examples.count))
        }
        for index in finished.results.count..<block.commands.count {
            let command = block.commands[index]
            outcomes.append(CommandOutcome(index: index, line: command.line, text: command.text, status: .notRun))
        }
        var outcome = BlockOutcome(index: batch.block, line: block.openingLine, heading: block.heading,
                                   status: status(of: outcomes, options: plan.options[batch.block]),
                                   commands: outcomes, duration: finished.duration, origin: block.origin)
        outcome.isSetup = selection.setup.contains(batch.block)
        blocks.insert(outcome, at: blocks.firstIndex { $0.index > batch.block } ?? blocks.endIndex)
        return records
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
        var outcome = BlockOutcome(index: index, line: block.openingLine, heading: block.heading,
                                   status: status(of: commands, options: plan.options[index]),
                                   commands: commands, duration: ContinuousClock.now - blockStart, origin: block.origin)
        outcome.isSetup = selection.setup.contains(index)
        blocks.append(outcome)
        commands = []
        blockOpen = false
    }

    /// What a block whose commands came to `commands` came to.
    private func status(of commands: [CommandOutcome], options: Options) -> BlockOutcome.Status {
        let failed = commands.contains { $0.status != .passed }
        let ran = commands.contains { $0.status != .notRun }
        var status: BlockOutcome.Status
        if !ran && !commands.isEmpty {
            status = .notRun
        } else if let reason = options.divergence(on: engine) {
            status = failed ? .diverged(reason: reason) : .nowConforms(reason: reason)
        } else {
            status = failed ? .failed : .passed
        }
        if case .notRun = status, let reason = options.divergence(on: engine) { status = .diverged(reason: reason) }
        return status
    }
}
