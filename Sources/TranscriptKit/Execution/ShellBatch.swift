import Glibc

/// A batch of commands sent to a `ShellSession` at once, pulled event by event:
///
///     var batch = shell.start(batch: texts, timeout: .seconds(60))
///     while let event = batch.next() {
///         switch event {
///         case .started(let index): ...
///         case .finished(let index, let result): ...   // may call shell.export(...)
///         }
///     }
///
/// Each command is `.started` and then `.finished`, in order; `.finished` comes as soon as its
/// marker arrives, while the shell runs the next. When the shell ends (`exit`, a timeout it did
/// not survive), the command running then is the last one finished, with `shellEnded` set; the
/// rest do not run. A shell that had ended before reports the first command only, as ended.
///
/// `next()` waits (in poll) only while no event is ready. Between events the session is free:
/// `export` queues text for the next batch. Pull a batch to its end (nil) before starting
/// another: output is given to the commands of the batch being pulled.
package struct ShellBatch {
    package enum Event: Sendable {
        /// The command at this index of the batch has started (its clock runs from now).
        case started(Int)
        /// The command at this index has ended.
        case finished(Int, CommandResult)
    }

    let session: ShellSession
    var progress: BatchProgress

    /// The next event, waiting for it if need be; nil once the batch has ended.
    package mutating func next() -> Event? {
        session.next(&progress)
    }
}

/// Where a batch stands: the command running, its output so far, and events not yet pulled.
struct BatchProgress {
    let count: Int
    /// The marker number of the batch's first command.
    let firstNumber: Int
    let limit: Int
    let timeout: Duration?
    /// Sees each piece of output as it arrives, before any output limit (during `next()`).
    let onOutput: ((UnsafeRawBufferPointer) -> Void)?
    /// The command running now (`count` once all have finished).
    var current = 0
    var start: ContinuousClock.Instant
    var output: OutputBuffer
    var timedOut = false
    /// The running command is past its deadline and being ended: what it prints now (the shell's
    /// note that its program was killed, say) is not its output.
    var outputClosed = false
    /// The last PID handed out before the batch was sent, where the system says.
    var pidBoundary: pid_t?
    /// The shell's `$!` before the batch.
    var backgroundAtStart: pid_t = 0
    /// The prompts commands of the batch answer, by index in the batch.
    var feeds: [Int: PromptFeed] = [:]
    /// Events ready to be pulled, from `pulled` on.
    var events: [ShellBatch.Event] = []
    var pulled = 0
    /// The last wait ended with a command finished: let the shell run ahead before reading again.
    var madeProgress = false
    /// The running command's terminal, when it runs under one (`ShellSession+Terminal`).
    var terminal: TerminalCommand?
    /// What the running command's result should say besides its output.
    var notes: [String] = []

    init(count: Int, firstNumber: Int, limit: Int, timeout: Duration?, onOutput: ((UnsafeRawBufferPointer) -> Void)?,
         start: ContinuousClock.Instant) {
        self.count = count
        self.firstNumber = firstNumber
        self.limit = limit
        self.timeout = timeout
        self.onOutput = onOutput
        self.start = start
        output = OutputBuffer(limit: limit)
    }

    /// A batch with no command: no events.
    static func empty() -> BatchProgress {
        BatchProgress(count: 0, firstNumber: 0, limit: 0, timeout: nil, onOutput: nil, start: .now)
    }

    /// Whether the command running now has finished, or there is none.
    var isDone: Bool { current >= count }

    /// Queues an event for `next()`.
    mutating func post(_ event: ShellBatch.Event) {
        events.append(event)
    }

    /// The oldest event not pulled yet, if any.
    mutating func takeEvent() -> ShellBatch.Event? {
        guard pulled < events.count else { return nil }
        let event = events[pulled]
        pulled += 1
        if pulled == events.count {
            events.removeAll(keepingCapacity: true)
            pulled = 0
        }
        return event
    }

    /// Gives output to the command running now.
    mutating func deliver(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, !outputClosed else { return }
        output.append(bytes)
        onOutput?(bytes)
        if feeds[current] != nil { answerPrompts(after: bytes) }
    }

    /// Answers the running command's next prompts if they show now: the answer goes to its
    /// standard input, and into its output as a terminal would echo it.
    private mutating func answerPrompts(after bytes: UnsafeRawBufferPointer) {
        guard var feed = feeds[current] else { return }
        feed.note(bytes)
        while feed.promptShows {
            let typed = Array((feed.answers[feed.next].answer + "\n").utf8)
            typed.withUnsafeBytes { echo in
                output.append(echo)
                onOutput?(echo)
            }
            feed.input.write(typed)
            feed.next += 1
            feed.tail.removeAll()
            if feed.next == feed.answers.count { feed.input.finishWriting() }
        }
        feeds[current] = feed
    }

    /// The running command ended with `status` (at `now`): its result, and the next one's start.
    mutating func finish(_ status: Int32, shellEnded: Bool = false, at now: ContinuousClock.Instant) {
        let cut = output.cutBytes
        let kept = output.kept()
        var result = CommandResult(
            output: kept.bytes, cutBytes: cut, cutOffset: kept.cutOffset, exitStatus: status,
            timedOut: timedOut, shellEnded: shellEnded, duration: now - start
        )
        var noted = result
        noted.notes = notes
        notes = []
        noted.unansweredPrompts = feeds.removeValue(forKey: current)?.unanswered ?? []
        post(.finished(current, noted))
        if shellEnded {
            current = count
            feeds.removeAll()
            return
        }
        current += 1
        output = OutputBuffer(limit: limit)
        timedOut = false
        outputClosed = false
        if current < count {
            // The next command started when this marker was written; matching took some of its time.
            start = now
            post(.started(current))
        }
    }
}
