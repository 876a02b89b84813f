import Glibc

/// Sending a batch to the shell and pulling its events (`ShellBatch`).
extension ShellSession {
    /// Sends `commands` to the shell all at once, to run one after another: nothing the harness
    /// does between them may change what they do. Each has at most `timeout`. The events come from
    /// the returned batch's `next()`; `onOutput` sees each piece of output as it arrives (the
    /// bytes are valid only during the call, which is inside `next()`: it must not call back
    /// into the session), before any output limit.
    /// `answers`, by index in the batch, are the prompts a command answers (`PromptAnswer`): it
    /// reads them from a pipe as its prompts appear, where other commands read nothing.
    package func start(batch commands: [String], timeout: Duration?, answers: [Int: [PromptAnswer]] = [:],
                       onOutput: ((UnsafeRawBufferPointer) -> Void)? = nil) -> ShellBatch {
        lock.lock()
        defer { lock.unlock() }
        guard !commands.isEmpty else { return ShellBatch(session: self, progress: .empty()) }
        let first = nextNumber
        var script = pendingScript
        pendingScript.removeAll()
        var progress = BatchProgress(count: commands.count, firstNumber: first, limit: configuration.outputLimit,
                                     timeout: timeout, onOutput: onOutput, start: ContinuousClock.now)
        var inputs = [String?](repeating: nil, count: commands.count)
        for (index, prompts) in answers where index < commands.count && !prompts.isEmpty {
            // Without a pipe the command reads nothing, and its prompts are reported unanswered.
            let directory = opensHarnessPipes ? nil : try? privateDirectory()
            guard let input = channel.makeAnswerInput(fifoIn: directory) else { continue }
            progress.feeds[index] = PromptFeed(answers: prompts, input: input)
            inputs[index] = input.path
        }
        appendScript(for: commands, inputs: inputs, numberedFrom: first, to: &script)
        nextNumber += commands.count
        // What runs before the batch is told from what it starts (`endCommand`).
        progress.pidBoundary = ProcessTree.lastPID()
        progress.backgroundAtStart = lastBackgroundPID
        send(script, &progress)
        return ShellBatch(session: self, progress: progress)
    }

    /// The batch's lines: for bash, groups of the plainest lines that are safe (`ShellScript`).
    func appendScript(for commands: [String], inputs: [String?], numberedFrom first: Int, to script: inout [UInt8]) {
        guard grouped else {
            for (index, command) in commands.enumerated() {
                ShellScript.run(command, number: first + index, salt: salt, input: inputs[index], to: &script)
            }
            return
        }
        var lines: [UInt8] = []
        if !launched { script += (ShellScript.statusFunctionDefinition + ShellScript.abortTrapDefinition).utf8 }
        let reads = commands.map(ShellScript.readsStatus)
        for (index, command) in commands.enumerated() {
            if index > 0 && index % ShellScript.groupLimit == 0 {
                script += ShellScript.group(lines)
                lines.removeAll(keepingCapacity: true)
            }
            if !cautious && ShellScript.mayRedirectOrTrace(command) { cautious = true }
            if !mayTrapErrors && ShellScript.maySetErrorTrap(command) { mayTrapErrors = true }
            // `$?` as at a prompt, for commands that read it (once one does, for all after it:
            // a function it defines may read it too), unless an ERR trap may be set (restoring
            // a failure would set it off again).
            if reads[index] { readsStatus = true }
            let restores = readsStatus && !mayTrapErrors
            let nextReads = index + 1 < commands.count ? reads[index + 1] : true
            let status = ShellScript.StatusHandling(saves: readsStatus || nextReads, restores: restores)
            let input = inputs[index]
            if cautious {
                ShellScript.runInGroup(command, number: first + index, salt: salt, restoringStatus: restores, input: input, to: &lines)
            } else if input == nil && ShellScript.isBareSimpleCommand(command) {
                ShellScript.runBareInGroup(command, number: first + index, salt: salt, status: status, to: &lines)
            } else {
                ShellScript.runPlainInGroup(command, number: first + index, salt: salt, status: status, input: input, to: &lines)
            }
        }
        script += ShellScript.group(lines)
    }

    /// Starts the shell with `script`, or appends it to the shell's script and lets the shell read
    /// on; posts the first command's start, and its end too when the shell cannot run it.
    private func send(_ script: [UInt8], _ progress: inout BatchProgress) {
        if !launched {
            _ = start(with: script)
        } else if endStatus == nil {
            let batch = ShellScript.batch(script, waitingOn: waitPath)
            if scriptFD >= 0, Self.writeAll(scriptFD, batch, at: scriptLength), signalWait() {
                scriptLength += batch.count
            } else if let pid = processID {
                // The file cannot grow (or the shell is gone): the session cannot go on.
                _ = kill(pid, SIGKILL)
                progress.start = ContinuousClock.now
                progress.post(.started(0))
                endBatch(&progress)
                return
            }
        }
        _ = scanFloor()
        if let endStatus {
            progress.post(.started(0))
            let message = startError.map { Array("\($0)\n".utf8) } ?? []
            progress.post(.finished(0, CommandResult(output: message, cutBytes: 0, exitStatus: endStatus, timedOut: false,
                                                     shellEnded: true, duration: .zero)))
            progress.current = progress.count
            return
        }
        guard processID != nil else {
            progress.current = progress.count
            return
        }
        progress.start = ContinuousClock.now
        progress.post(.started(0))
        // Output left over from before belongs to the first command, as if still in the pipe.
        if !held.isEmpty { absorb(UnsafeRawBufferPointer(start: nil, count: 0), &progress) }
    }

    /// The batch's next event, waiting for output until there is one; nil once the batch is over.
    func next(_ progress: inout BatchProgress) -> ShellBatch.Event? {
        if let event = progress.takeEvent() { return event }
        guard !progress.isDone else { return nil }
        lock.lock()
        defer { lock.unlock() }
        while !progress.isDone {
            if progress.madeProgress {
                progress.madeProgress = false
                letShellRunAhead(remaining: progress.count - progress.current)
            }
            advance(&progress)
            if let event = progress.takeEvent() { return event }
        }
        return progress.takeEvent()
    }

    /// More commands to go and nothing to read yet: let the shell run ahead a moment rather than
    /// wake for each command's few bytes (a wake-up costs both sides more than a short command
    /// takes).
    private func letShellRunAhead(remaining: Int) {
        guard remaining >= Self.runAhead else { return }
        if channel.pendingByteCount() == 0 { usleep(Self.catchUp) }
    }

    /// Waits for the running command to finish, the shell to end, or the deadline.
    private func advance(_ progress: inout BatchProgress) {
        guard !closed, let processID = startedID else {
            endBatch(&progress)
            return
        }
        let deadline = progress.timeout.map { progress.start + $0 }
        switch pump(until: deadline, &progress) {
        case .progress:
            progress.madeProgress = true
        case .shellExited:
            endBatch(&progress)
        case .deadline:
            // The command alone ends where the shell can leave it (`endCommand`); otherwise it
            // runs in the shell itself, so killing the command with everything it started means
            // killing the whole session, shell included: nothing of it (nor of the rest of the
            // batch) runs on.
            if endCommand(&progress) {
                progress.madeProgress = true
                return
            }
            progress.timedOut = true
            ProcessTree.kill(sessionOf: processID, sparingLeader: false, floor: scanFloor())
            endBatch(&progress)
        }
    }

    enum PumpEnd {
        /// A command finished.
        case progress
        case shellExited
        case deadline
    }

    /// Reads output until a command finishes, the shell ends, or `deadline` passes (at once when
    /// it has). Blocks in poll() only.
    func pump(until deadline: ContinuousClock.Instant?, _ progress: inout BatchProgress) -> PumpEnd {
        let before = progress.current
        var fds = (pollfd(), pollfd(), pollfd())
        var first = true
        while true {
            // A command that prints without pause must not keep its deadline from being seen.
            if !first, let deadline, ContinuousClock.now >= deadline { return .deadline }
            first = false
            var timeoutMilliseconds: Int32 = -1
            if let deadline {
                timeoutMilliseconds = Self.milliseconds(roundingUp: deadline - ContinuousClock.now)
            }
            if exitFD < 0 {
                // Without a pidfd, look now and then.
                if hasExited() { return .shellExited }
                timeoutMilliseconds = timeoutMilliseconds < 0 ? 10 : min(timeoutMilliseconds, 10)
            }
            fds.0 = pollfd(fd: channel.outputDescriptor, events: Int16(POLLIN), revents: 0)
            fds.1 = pollfd(fd: exitFD, events: Int16(POLLIN), revents: 0)
            // A command under a terminal: its output, and the prompts to answer (-1: none).
            fds.2 = pollfd(fd: progress.terminal?.descriptor ?? -1, events: Int16(POLLIN), revents: 0)
            let ready = withUnsafeMutableBytes(of: &fds) { raw in
                poll(raw.baseAddress?.assumingMemoryBound(to: pollfd.self), 3, timeoutMilliseconds)
            }
            if ready < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .shellExited
            }
            if ready == 0 {
                if let deadline, ContinuousClock.now >= deadline { return .deadline }
                continue
            }
            if fds.2.revents != 0 { readTerminal(&progress) }
            if fds.0.revents != 0 {
                readOutput(&progress)
                if progress.current != before { return .progress }
            }
            // What is still in the pipe at the shell's end is read by `endBatch`.
            if fds.1.revents != 0 { return .shellExited }
        }
    }

    /// One read of output, given to the commands it belongs to; returns the bytes read.
    @discardableResult
    private func readOutput(_ progress: inout BatchProgress, limit: Int = .max) -> Int {
        let buffer = limit < scratch.count ? UnsafeMutableRawBufferPointer(rebasing: scratch[..<limit]) : scratch
        guard case .bytes(let count) = channel.read(into: buffer) else { return 0 }
        absorb(UnsafeRawBufferPointer(rebasing: scratch[..<count]), &progress)
        return count
    }

    /// Takes what is in the output now, and no more: a background process that keeps writing
    /// (or keeps the output open) must not hold the command up.
    func drainOutput(_ progress: inout BatchProgress) {
        guard var remaining = channel.pendingByteCount() else { return }
        while remaining > 0, channel.outputDescriptor >= 0 {
            let taken = readOutput(&progress, limit: remaining)
            if taken == 0 { break }
            remaining -= taken
        }
    }

    /// The shell ended during the batch: the command running then reports it, with what it printed.
    private func endBatch(_ progress: inout BatchProgress) {
        drainOutput(&progress)
        let status = endShell()
        guard !progress.isDone else { return }
        // No marker will complete what is held: it is the command's output.
        if !held.isEmpty {
            let rest = held
            held.removeAll()
            rest.withUnsafeBytes { progress.deliver($0) }
        }
        takeTerminalOutput(&progress, shellEnded: true)
        progress.finish(status, shellEnded: true, at: ContinuousClock.now)
    }
}
