import Foundation
import Glibc

/// One shell process for one transcript file: commands are fed to it, one or a batch at a time,
/// their merged standard output and standard error are collected while they run, and everything
/// it started is killed when the session ends.
///
/// The protocol with the shell is described in `ShellScript`. Calls are serialized by a lock, so a
/// session may be handed between threads; sessions are independent of each other.
package final class ShellSession: @unchecked Sendable {
    package struct Configuration: Sendable {
        /// The shell program, e.g. "bash" (looked up on PATH) or an absolute path.
        package var shell: String = "bash"
        package var workingDirectory: String
        /// The complete environment of the shell.
        package var environment: [String: String]
        /// Bytes of output kept per command; the rest is counted, not kept.
        package var outputLimit: Int = 16 << 20
        /// Paths covered for the shell and all it starts, in a mount namespace of its own: each
        /// key (e.g. the host's /run/docker.sock) shows the file of its value instead. Empty: the
        /// shell runs in the harness's own namespace (see `ShellMask`).
        package var masks: [String: String] = [:]

        package init(shell: String = "bash", workingDirectory: String, environment: [String: String], outputLimit: Int = 16 << 20) {
            self.shell = shell
            self.workingDirectory = workingDirectory
            self.environment = environment
            self.outputLimit = outputLimit
        }
    }

    package let configuration: Configuration
    /// The shell's path, resolved when the session is made.
    private let path: String
    /// bash runs each batch as one group (`ShellScript.runInGroup`); other shells a line per command.
    private let grouped: Bool
    /// Once a command might have redirected the shell's output or switched on `set -x`, every
    /// later one gets the full line (`runInGroup`), not the plain one.
    private var cautious: Bool
    /// Once a command might have set an `ERR` or `DEBUG` trap, `$?` is no longer restored between
    /// commands (the trap would run again for the restoring function).
    private var mayTrapErrors = false
    /// Once a command reads `$?`, every later one gets the status of the one before it.
    private var readsStatus = false
    /// The shell's process ID, which is also its session ID and process group ID, once it runs:
    /// it starts with the first commands, already in its script.
    package var processID: pid_t? {
        processLock.lock()
        defer { processLock.unlock() }
        return startedID
    }
    private let processLock = NSLock()
    private var startedID: pid_t?
    /// The shell has started, or could not start.
    private var launched = false

    /// How long (µs) to let the shell run ahead within a batch before reading again, while at
    /// least `runAhead` commands of it remain (a short batch is read as it comes).
    static let catchUp: UInt32 = 200
    static let runAhead = 16

    /// How long `terminate()` lets the shell end by itself after its script ends.
    static let exitGrace: Duration = .milliseconds(100)

    /// Recursive: a batch's callbacks may call `export`.
    private let lock = NSRecursiveLock()
    /// The script file (the shell's standard input); -1 until the shell starts and once closed.
    private var scriptFD: Int32 = -1
    private var scriptLength = 0
    /// Read end of the merged output (non-blocking).
    private var outputFD: Int32 = -1
    /// Readable when the shell exits (a pidfd); -1 on kernels without them.
    private var exitFD: Int32 = -1
    private var outputOpen = true
    /// Script text for the next batch (exports).
    private var pendingScript: [UInt8] = []
    /// Hex digits unique to this session, in every marker.
    private let salt: String
    /// The marker's fixed start: byte 036 and the salt.
    private let markerPrefix: [UInt8]
    /// The number of the next command sent.
    private var nextNumber = 0
    /// Output read but not yet given to a command: the start of a marker not complete yet, or
    /// what came after the last command of a batch (it goes to the next command, as it would
    /// have, unread, in the pipe).
    private var held: [UInt8] = []
    /// The shell's own exit status, once it has ended and been reaped.
    private var endStatus: Int32?
    private var closed = false
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    /// Checks that the shell and the working directory exist; the shell starts with the first command.
    package init(configuration: Configuration) throws(ExecutionError) {
        self.configuration = configuration
        path = try Self.resolve(configuration.shell, environment: configuration.environment)
        grouped = ShellScript.isBash(path)
        // A startup file or inherited options may trace or redirect from the first command on.
        cautious = ["BASH_ENV", "SHELLOPTS", "BASHOPTS"].contains { configuration.environment[$0] != nil }
        var info = stat()
        guard stat(configuration.workingDirectory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ExecutionError("cannot start \(path) in \(configuration.workingDirectory): \(Self.errorText(errno == 0 ? ENOTDIR : errno))")
        }
        var generator = SystemRandomNumberGenerator()
        salt = String(generator.next(), radix: 16) + String(generator.next(), radix: 16)
        markerPrefix = ShellScript.markerPrefix(salt: salt)
    }

    /// Kills the shell and everything it started at once, from any thread (an interruption);
    /// `terminate()` then reaps it. An interruption closes the `LaunchGate` first: a shell being
    /// launched then is running by now, and one not yet launched never will be.
    package func interrupt() {
        if let pid = processID { ProcessTree.kill(sessionOf: pid, sparingLeader: false) }
    }

    /// Starts the shell with `script` (the first batch) as the start of its script.
    private func start(with script: [UInt8]) -> Bool {
        launched = true
        guard LaunchGate.enter() else {
            startError = "interrupted"
            endStatus = 255
            return false
        }
        defer { LaunchGate.leave() }
        do {
            try makeWait()
            let waitPath = waitPath
            let launch = try Self.launch(configuration, path: path) { changesDirectory in
                var opening = changesDirectory ? []
                    : Array("cd -- \(ShellScript.quote(configuration.workingDirectory)) || exit 126\n".utf8)
                opening += script
                return ShellScript.batch(opening, waitingOn: waitPath, minimumLength: ShellScript.block)
            }
            scriptFD = launch.script
            scriptLength = launch.scriptLength
            outputFD = launch.output
            exitFD = GlibcExtensions.pidfdOpen(launch.processID) ?? -1
            processLock.lock()
            startedID = launch.processID
            processLock.unlock()
            pidFloor = launch.processID
            lastPIDSeen = launch.processID
            return true
        } catch {
            startError = error.message
            endStatus = 255
            return false
        }
    }
    private var startError: String?

    /// What the shell waits on between batches: a pipe of the harness's own, which the shell opens
    /// by its /proc path only for the wait (no file system work per session), or, where that path
    /// is not there, a FIFO in a private directory.
    private var waitDirectory: String?
    private var waitPath = ""
    /// The harness's write end; a newline lets the shell go on.
    private var waitFD: Int32 = -1
    /// The pipe's read end, held so that the pipe lives while the shell is not waiting.
    private var waitReadFD: Int32 = -1

    private func makeWait() throws(ExecutionError) {
        if let ends = GlibcExtensions.makePipe() {
            let path = "/proc/\(getpid())/fd/\(ends.read)"
            if access(path, R_OK) == 0 {
                waitReadFD = ends.read
                waitFD = ends.write
                _ = fcntl(waitFD, F_SETFL, fcntl(waitFD, F_GETFL) | O_NONBLOCK)
                waitPath = path
                return
            }
            close(ends.read)
            close(ends.write)
        }
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("transcript-shell-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let pointer = buffer.baseAddress, mkdtemp(pointer) != nil else { return nil }
            return String(cString: pointer)
        }
        guard let directory else {
            throw ExecutionError("cannot create a private directory for the shell in \(base): \(Self.errorText(errno))")
        }
        waitDirectory = directory
        waitPath = directory + "/wait"
        guard mkfifo(waitPath, 0o600) == 0 else {
            throw ExecutionError("cannot create a FIFO for the shell: \(Self.errorText(errno))")
        }
        // Read and write: it never blocks, and the FIFO has a writer for as long as the harness lives.
        waitFD = open(waitPath, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard waitFD >= 0 else {
            throw ExecutionError("cannot open a FIFO for the shell: \(Self.errorText(errno))")
        }
    }

    deinit {
        terminate()
        scratch.deallocate()
    }

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

    /// Runs `commands` one after another in the shell, sent all at once: nothing the harness does
    /// between them may change what they do. `started` and `finished` are called for each command
    /// in turn, `finished` as soon as its marker arrives (while the shell runs the next); each has
    /// at most `timeout`. When the shell ends (`exit`, a timeout it did not survive), the command
    /// running then is the last one reported, with `shellEnded` set; the rest do not run. A shell
    /// that had ended before reports the first command only, as ended.
    package func run(
        batch commands: [String], timeout: Duration?, onOutput: ((UnsafeRawBufferPointer) -> Void)? = nil,
        started: (Int) -> Void = { _ in }, finished: (Int, CommandResult) -> Void
    ) {
        lock.lock()
        defer { lock.unlock() }
        guard !commands.isEmpty else { return }
        // The handlers live only as long as this call.
        withoutActuallyEscaping(started) { started in
            withoutActuallyEscaping(finished) { finished in
                runLocked(commands, timeout: timeout, Handlers(onOutput: onOutput, started: started, finished: finished))
            }
        }
    }

    private func runLocked(_ commands: [String], timeout: Duration?, _ handlers: Handlers) {
        let started = handlers.started
        let finished = handlers.finished
        let clock = ContinuousClock()
        var script = pendingScript
        pendingScript.removeAll()
        let first = nextNumber
        if grouped {
            var lines: [UInt8] = []
            if !launched { script += ShellScript.statusFunctionDefinition.utf8 }
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
                if cautious {
                    ShellScript.runInGroup(command, number: first + index, salt: salt, restoringStatus: restores, to: &lines)
                } else if ShellScript.isBareSimpleCommand(command) {
                    ShellScript.runBareInGroup(command, number: first + index, salt: salt, status: status, to: &lines)
                } else {
                    ShellScript.runPlainInGroup(command, number: first + index, salt: salt, status: status, to: &lines)
                }
            }
            script += ShellScript.group(lines)
        } else {
            for (index, command) in commands.enumerated() {
                ShellScript.run(command, number: first + index, salt: salt, to: &script)
            }
        }
        nextNumber += commands.count
        if !launched {
            _ = start(with: script)
        } else if endStatus == nil {
            let batch = ShellScript.batch(script, waitingOn: waitPath)
            if scriptFD >= 0, Self.writeAll(scriptFD, batch, at: scriptLength), signalWait() {
                scriptLength += batch.count
            } else if let pid = processID {
                // The file cannot grow (or the shell is gone): the session cannot go on.
                _ = kill(pid, SIGKILL)
                var progress = Progress(count: commands.count, firstNumber: first, limit: configuration.outputLimit, start: clock.now)
                started(0)
                endBatch(&progress, handlers)
                return
            }
        }
        _ = scanFloor()
        if let endStatus {
            started(0)
            let message = startError.map { Array("\($0)\n".utf8) } ?? []
            finished(0, CommandResult(output: message, cutBytes: 0, exitStatus: endStatus, timedOut: false, shellEnded: true, duration: .zero))
            return
        }
        guard let processID else { return }

        var progress = Progress(count: commands.count, firstNumber: first, limit: configuration.outputLimit, start: clock.now)
        started(0)
        // Output left over from before belongs to the first command, as if still in the pipe.
        if !held.isEmpty { absorb(UnsafeRawBufferPointer(start: nil, count: 0), &progress, handlers) }

        while progress.current < progress.count {
            let command = progress.current
            let deadline = timeout.map { progress.start + $0 }
            switch pump(until: deadline, &progress, handlers) {
            case .progress:
                // More commands to go and nothing to read yet: let the shell run ahead a moment
                // rather than wake for each command's few bytes (a wake-up costs both sides more
                // than a short command takes).
                if progress.count - progress.current >= Self.runAhead, outputOpen {
                    var available: Int32 = 0
                    if ioctl(outputFD, UInt(FIONREAD), &available) == 0, available == 0 { usleep(Self.catchUp) }
                }
                continue
            case .shellExited:
                endBatch(&progress, handlers)
                return
            case .deadline:
                progress.timedOut = true
                // The command runs in the shell itself, so killing the command with everything it
                // started means killing the whole session, shell included: nothing of it (nor of
                // the rest of the batch) runs on.
                ProcessTree.kill(sessionOf: processID, sparingLeader: false, floor: scanFloor())
                endBatch(&progress, handlers)
                return
            }
        }
    }

    /// Sets and exports a variable in the shell, for every later command. The line goes out ahead
    /// of the next command and reports nothing; a name the shell would refuse is ignored.
    package func export(_ name: String, value: String) {
        lock.lock()
        defer { lock.unlock() }
        guard endStatus == nil, ShellScript.isVariableName(name) else { return }
        pendingScript += ShellScript.export(name, value: value).utf8
    }

    /// Ends the shell and kills every process it started. Safe to call more than once.
    package func terminate() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        if endStatus == nil, let processID {
            // End of script: an idle shell exits by itself (running its EXIT trap); whatever is
            // left is killed below, daemons included, noted while the shell still parents them.
            let escaped = ProcessTree.escaped(from: processID, floor: scanFloor())
            _ = signalWait()
            waitForExit(within: Self.exitGrace)
            _ = endShell(alsoKilling: escaped)
        }
        for fd in [outputFD, exitFD, scriptFD, waitFD, waitReadFD] where fd >= 0 { close(fd) }
        outputFD = -1
        exitFD = -1
        scriptFD = -1
        waitFD = -1
        waitReadFD = -1
        if let waitDirectory {
            unlink(waitPath)
            rmdir(waitDirectory)
        }
    }

    // MARK: - A batch

    /// Where a batch stands.
    private struct Progress {
        let count: Int
        /// The marker number of the batch's first command.
        let firstNumber: Int
        let limit: Int
        /// The command running now (`count` once all have finished).
        var current = 0
        var start: ContinuousClock.Instant
        var output: OutputBuffer
        var timedOut = false

        init(count: Int, firstNumber: Int, limit: Int, start: ContinuousClock.Instant) {
            self.count = count
            self.firstNumber = firstNumber
            self.limit = limit
            self.start = start
            output = OutputBuffer(limit: limit)
        }
    }

    private struct Handlers {
        let onOutput: ((UnsafeRawBufferPointer) -> Void)?
        let started: (Int) -> Void
        let finished: (Int, CommandResult) -> Void
    }

    private enum Event {
        /// A command finished.
        case progress
        case shellExited
        case deadline
    }

    /// Reads output until a command finishes, the shell ends, or `deadline` passes (at once when
    /// it has). Blocks in poll() only.
    private func pump(until deadline: ContinuousClock.Instant?, _ progress: inout Progress, _ handlers: Handlers) -> Event {
        let before = progress.current
        var fds: [pollfd] = []
        fds.reserveCapacity(2)
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
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: outputOpen ? outputFD : -1, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: exitFD, events: Int16(POLLIN), revents: 0))
            let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
            if ready < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .shellExited
            }
            if ready == 0 {
                if let deadline, ContinuousClock.now >= deadline { return .deadline }
                continue
            }
            if fds[0].revents != 0 {
                readOutput(&progress, handlers)
                if progress.current != before { return .progress }
            }
            // What is still in the pipe at the shell's end is read by `endBatch`.
            if fds[1].revents != 0 { return .shellExited }
        }
    }

    /// One read of output, given to the commands it belongs to; returns the bytes read.
    @discardableResult
    private func readOutput(_ progress: inout Progress, _ handlers: Handlers, limit: Int = .max) -> Int {
        let count = read(outputFD, scratch.baseAddress, min(scratch.count, limit))
        if count > 0 {
            absorb(UnsafeRawBufferPointer(rebasing: scratch[..<count]), &progress, handlers)
            return count
        }
        if count == 0 || (errno != EAGAIN && errno != EINTR) {
            // The end (or a broken pipe): stop polling it, or poll() would report it forever.
            outputOpen = false
        }
        return 0
    }

    /// Takes what is in the output pipe now, and no more: a background process that keeps
    /// writing (or keeps the pipe open) must not hold the command up.
    private func drainOutput(_ progress: inout Progress, _ handlers: Handlers) {
        guard outputOpen else { return }
        var available: Int32 = 0
        guard ioctl(outputFD, UInt(FIONREAD), &available) == 0 else { return }
        var remaining = Int(available)
        while remaining > 0, outputOpen {
            let taken = readOutput(&progress, handlers, limit: remaining)
            if taken == 0 { break }
            remaining -= taken
        }
    }

    /// The shell ended during the batch: the command running then reports it, with what it printed.
    private func endBatch(_ progress: inout Progress, _ handlers: Handlers) {
        drainOutput(&progress, handlers)
        let status = endShell()
        guard progress.current < progress.count else { return }
        // No marker will complete what is held: it is the command's output.
        if !held.isEmpty {
            let rest = held
            held.removeAll()
            rest.withUnsafeBytes { deliver($0, &progress, handlers) }
        }
        let cut = progress.output.cutBytes
        let kept = progress.output.kept()
        handlers.finished(progress.current, CommandResult(
            output: kept.bytes, cutBytes: cut, cutOffset: kept.cutOffset, exitStatus: status,
            timedOut: progress.timedOut, shellEnded: true, duration: ContinuousClock.now - progress.start
        ))
        progress.current = progress.count
    }

    // MARK: - Output and markers

    /// Takes output as read: held bytes first, then `bytes`, split at markers among the commands.
    private func absorb(_ bytes: UnsafeRawBufferPointer, _ progress: inout Progress, _ handlers: Handlers) {
        if held.isEmpty {
            let used = parse(bytes, &progress, handlers)
            if used < bytes.count { held.append(contentsOf: bytes[used...]) }
        } else {
            var all = held
            held = []
            all.append(contentsOf: bytes)
            let used = all.withUnsafeBytes { parse($0, &progress, handlers) }
            if used < all.count { held = used == 0 ? all : Array(all[used...]) }
        }
    }

    /// Gives `buffer` to the running commands, finishing one at each marker; returns how many
    /// bytes it used. It stops at a marker not complete yet and after the batch's last marker.
    private func parse(_ buffer: UnsafeRawBufferPointer, _ progress: inout Progress, _ handlers: Handlers) -> Int {
        let count = buffer.count
        guard let base = buffer.baseAddress else { return 0 }
        var position = 0
        while position < count, progress.current < progress.count {
            guard let found = memchr(base + position, 0x1E, count - position) else {
                deliver(UnsafeRawBufferPointer(rebasing: buffer[position..<count]), &progress, handlers)
                return count
            }
            let start = base.distance(to: UnsafeRawPointer(found))
            if start > position { deliver(UnsafeRawBufferPointer(rebasing: buffer[position..<start]), &progress, handlers) }
            position = start
            switch marker(in: buffer, at: start) {
            case .incomplete:
                return start
            case .none:
                deliver(UnsafeRawBufferPointer(rebasing: buffer[start..<start + 1]), &progress, handlers)
                position = start + 1
            case .marker(let number, let status, let end):
                position = end
                guard number == progress.firstNumber + progress.current else { continue }
                finish(status, &progress, handlers)
            }
        }
        return position
    }

    private enum MarkerScan {
        case marker(number: Int, status: Int32, end: Int)
        case incomplete
        case none
    }

    /// Whether `buffer` holds a marker at `start` (where a byte 036 is): " N S\n" after the prefix.
    private func marker(in buffer: UnsafeRawBufferPointer, at start: Int) -> MarkerScan {
        let prefixEnd = start + markerPrefix.count
        let available = min(buffer.count, prefixEnd)
        for index in start..<available where buffer[index] != markerPrefix[index - start] { return .none }
        if available < prefixEnd { return .incomplete }
        // " NUMBER STATUS\n"
        var index = prefixEnd
        var fields: [Int] = []
        var value = 0
        var digits = 0
        while true {
            guard index < buffer.count else { return index - prefixEnd > 40 ? .none : .incomplete }
            let byte = buffer[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                if index > prefixEnd {
                    guard digits > 0 else { return .none }
                    fields.append(value)
                } else if byte != UInt8(ascii: " ") {
                    return .none
                }
                value = 0
                digits = 0
                if byte == UInt8(ascii: "\n") { break }
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 18 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return .none
            }
            index += 1
        }
        guard fields.count == 2 else { return .none }
        return .marker(number: fields[0], status: Int32(truncatingIfNeeded: fields[1]), end: index + 1)
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer, _ progress: inout Progress, _ handlers: Handlers) {
        guard !bytes.isEmpty else { return }
        progress.output.append(bytes)
        handlers.onOutput?(bytes)
    }

    /// The running command's marker arrived: report it and start the clock for the next.
    private func finish(_ status: Int32, _ progress: inout Progress, _ handlers: Handlers) {
        let now = ContinuousClock.now
        let cut = progress.output.cutBytes
        let kept = progress.output.kept()
        let result = CommandResult(
            output: kept.bytes, cutBytes: cut, cutOffset: kept.cutOffset, exitStatus: status,
            timedOut: progress.timedOut, shellEnded: false, duration: now - progress.start
        )
        let finishedIndex = progress.current
        progress.current += 1
        progress.output = OutputBuffer(limit: progress.limit)
        progress.timedOut = false
        handlers.finished(finishedIndex, result)
        if progress.current < progress.count {
            // The next command started when this marker was written; matching took some of its time.
            progress.start = now
            handlers.started(progress.current)
        }
    }

    // MARK: - The shell's end

    /// Lets the shell read on: a newline in the FIFO it waits on.
    private func signalWait() -> Bool {
        guard waitFD >= 0 else { return false }
        var newline = UInt8(ascii: "\n")
        while true {
            let count = write(waitFD, &newline, 1)
            if count == 1 { return true }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }

    /// Stops the shell (it never stops by itself) and waits, briefly, until it has; false when it
    /// has exited. A shell that does not stop in time (in an uninterruptible wait) counts as
    /// stopped: continuing it then discards the pending stop.
    private func stopShell() -> Bool {
        guard let processID, kill(processID, SIGSTOP) == 0 else { return false }
        for _ in 0..<500 {
            var info = siginfo_t()
            if waitid(P_PID, id_t(processID), &info, WSTOPPED | WEXITED | WNOHANG | WNOWAIT) < 0 {
                if errno == EINTR { continue }
                return false
            }
            if info.si_signo == SIGCHLD {
                guard info.si_code == Self.childStopped else { return false }
                // Take the report, so that the next stop reports anew.
                var taken = siginfo_t()
                while waitid(P_PID, id_t(processID), &taken, WSTOPPED | WNOHANG) < 0 && errno == EINTR {}
                return true
            }
            usleep(200)
        }
        return true
    }

    /// While no PID has wrapped around since the shell started, the shell's PID: every process
    /// it started has a larger one, and looking for them needs to read no older process.
    private var pidFloor: pid_t?
    private var lastPIDSeen: pid_t = 0

    /// The floor for a scan of /proc now; nil (read all) for good once the PIDs handed out were
    /// seen to wrap around. Looked at with each batch, so only a whole cycle of PIDs within one
    /// batch would go unseen.
    private func scanFloor() -> pid_t? {
        guard let floor = pidFloor else { return nil }
        guard let last = ProcessTree.lastPID(), last >= lastPIDSeen, last >= floor else {
            pidFloor = nil
            return nil
        }
        lastPIDSeen = last
        return floor
    }

    /// `CLD_STOPPED` from signal.h.
    private static let childStopped: Int32 = 5

    /// Whether the shell has exited (without reaping it).
    private func hasExited() -> Bool {
        guard let processID else { return true }
        var info = siginfo_t()
        while waitid(P_PID, id_t(processID), &info, WEXITED | WNOHANG | WNOWAIT) < 0 {
            if errno != EINTR { return true }
        }
        // With no exit to report, waitid leaves `info` as it was: zeroed.
        return info.si_signo == SIGCHLD
    }

    /// Waits at most `limit` for the shell to exit, without reaping it.
    private func waitForExit(within limit: Duration) {
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
    private func endShell(alsoKilling escaped: [ProcessTree.Entry] = []) -> Int32 {
        if let endStatus { return endStatus }
        guard let processID else { return 255 }
        ProcessTree.kill(sessionOf: processID, sparingLeader: false, alsoKilling: escaped, floor: scanFloor())
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(processID, &status, 0) } while result < 0 && errno == EINTR
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

    private static func milliseconds(roundingUp duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
