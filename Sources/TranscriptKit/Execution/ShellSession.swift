import Foundation
import Glibc

/// One shell process for one transcript file: commands are fed to it one at a time, their
/// merged standard output and standard error are collected while they run, and everything it
/// started is killed when the session ends.
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

        package init(shell: String = "bash", workingDirectory: String, environment: [String: String], outputLimit: Int = 16 << 20) {
            self.shell = shell
            self.workingDirectory = workingDirectory
            self.environment = environment
            self.outputLimit = outputLimit
        }
    }

    package let configuration: Configuration
    /// The shell's process ID, which is also its session ID and process group ID.
    package let processID: pid_t

    /// How long a timed-out command's shell gets to report a status once its processes are killed.
    /// How long `terminate()` lets the shell end by itself after its script ends.
    static let exitGrace: Duration = .milliseconds(100)

    private let lock = NSLock()
    /// Write end of the shell's standard input (non-blocking); -1 once closed.
    private var scriptFD: Int32
    /// Read end of the merged output (non-blocking).
    private var outputFD: Int32
    /// Read end of the status pipe (non-blocking).
    private var statusFD: Int32
    /// Readable when the shell exits (a pidfd); -1 on kernels without them.
    private var exitFD: Int32
    private var outputOpen = true
    /// Script text not yet accepted by the pipe.
    private var pendingScript: [UInt8] = []
    private var statusBytes: [UInt8] = []
    /// The shell's own exit status, once it has ended and been reaped.
    private var endStatus: Int32?
    private var closed = false
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    package init(configuration: Configuration) throws(ExecutionError) {
        self.configuration = configuration
        let launch = try Self.launch(configuration)
        processID = launch.processID
        scriptFD = launch.script
        outputFD = launch.output
        statusFD = launch.status
        exitFD = GlibcExtensions.pidfdOpen(launch.processID) ?? -1
        if !launch.changedDirectory {
            pendingScript = Array("cd -- \(ShellScript.quote(configuration.workingDirectory)) || exit 126\n".utf8)
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
        lock.lock()
        defer { lock.unlock() }
        let clock = ContinuousClock()
        let start = clock.now
        if let endStatus {
            return CommandResult(output: [], cutBytes: 0, exitStatus: endStatus, timedOut: false, shellEnded: true, duration: .zero)
        }
        pendingScript += ShellScript.run(command).utf8
        writeScript()

        var output = OutputBuffer(limit: configuration.outputLimit)
        var event = waitForEvent(until: timeout.map { start + $0 }, output: &output, onOutput: onOutput)
        var timedOut = false
        if case .deadline = event {
            timedOut = true
            // The command runs in the shell itself, so killing the command with everything it
            // started means killing the whole session, shell included: nothing of it runs on.
            ProcessTree.kill(sessionOf: processID, sparingLeader: false)
            event = .shellExited
        }
        let exitStatus: Int32
        switch event {
        case .status(let status):
            drainOutput(into: &output, onOutput: onOutput)
            exitStatus = status
        case .shellExited, .deadline:
            drainOutput(into: &output, onOutput: onOutput)
            exitStatus = endShell()
        }
        let kept = output.kept()
        return CommandResult(
            output: kept.bytes, cutBytes: output.cutBytes, cutOffset: kept.cutOffset, exitStatus: exitStatus,
            timedOut: timedOut, shellEnded: endStatus != nil, duration: clock.now - start
        )
    }

    /// Sets and exports a variable in the shell, for every later command. The line goes out ahead
    /// of the next command and reports nothing; a name the shell would refuse is ignored.
    package func export(_ name: String, value: String) {
        lock.lock()
        defer { lock.unlock() }
        guard endStatus == nil, ShellScript.isVariableName(name) else { return }
        pendingScript += ShellScript.export(name, value: value).utf8
        writeScript()
    }

    /// Ends the shell and kills every process it started. Safe to call more than once.
    package func terminate() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        if endStatus == nil {
            // End of script: an idle shell exits by itself (running its EXIT trap); whatever is
            // left is killed below, daemons included, noted while the shell still parents them.
            let escaped = ProcessTree.escaped(from: processID)
            closeScript()
            waitForExit(within: Self.exitGrace)
            _ = endShell(alsoKilling: escaped)
        }
        for fd in [outputFD, statusFD, exitFD] where fd >= 0 { close(fd) }
        outputFD = -1
        statusFD = -1
        exitFD = -1
    }

    // MARK: - Waiting

    private enum Event {
        case status(Int32)
        case shellExited
        case deadline
    }

    /// Reads output until the shell reports a status, the shell ends, or `deadline` passes,
    /// feeding the rest of the script to the shell as it accepts it. Blocks in poll() only.
    private func waitForEvent(
        until deadline: ContinuousClock.Instant?, output: inout OutputBuffer, onOutput: ((UnsafeRawBufferPointer) -> Void)?
    ) -> Event {
        var fds: [pollfd] = []
        fds.reserveCapacity(4)
        while true {
            if let status = takeStatus() { return .status(status) }
            var timeoutMilliseconds: Int32 = -1
            if let deadline {
                let remaining = deadline - ContinuousClock.now
                if remaining <= .zero { return .deadline }
                timeoutMilliseconds = Self.milliseconds(roundingUp: remaining)
            }
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: statusFD, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: outputOpen ? outputFD : -1, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: exitFD, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: pendingScript.isEmpty ? -1 : scriptFD, events: Int16(POLLOUT), revents: 0))
            let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
            if ready < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .shellExited
            }
            if ready == 0 { continue }
            if fds[1].revents != 0 { readOutput(into: &output, onOutput: onOutput) }
            if fds[3].revents != 0 { writeScript() }
            if fds[0].revents != 0 {
                if !readStatus() {
                    // Only the shell holds the status pipe: its end is the shell's end.
                    return takeStatus().map { .status($0) } ?? .shellExited
                }
                continue
            }
            if fds[2].revents != 0 { return .shellExited }
        }
    }

    /// The first complete status line, if one has arrived.
    private func takeStatus() -> Int32? {
        guard let newline = statusBytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: statusBytes[..<newline], as: UTF8.self)
        statusBytes.removeSubrange(...newline)
        return Int32(line) ?? 255
    }

    /// Reads what the status pipe holds; false at its end.
    private func readStatus() -> Bool {
        while true {
            let count = read(statusFD, scratch.baseAddress, scratch.count)
            if count > 0 {
                statusBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
                continue
            }
            if count < 0 && errno == EINTR { continue }
            return count < 0
        }
    }

    /// One read of output (the poll loop comes back for more, so a status is never starved).
    private func readOutput(into output: inout OutputBuffer, onOutput: ((UnsafeRawBufferPointer) -> Void)?, limit: Int = .max) {
        let count = read(outputFD, scratch.baseAddress, min(scratch.count, limit))
        if count > 0 {
            let bytes = UnsafeRawBufferPointer(rebasing: scratch[..<count])
            output.append(bytes)
            onOutput?(bytes)
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            // The end (or a broken pipe): stop polling it, or poll() would report it forever.
            outputOpen = false
        }
    }

    /// Takes what is in the output pipe now, and no more: a background process that keeps
    /// writing (or keeps the pipe open) must not hold the command up.
    private func drainOutput(into output: inout OutputBuffer, onOutput: ((UnsafeRawBufferPointer) -> Void)?) {
        guard outputOpen else { return }
        var available: Int32 = 0
        guard ioctl(outputFD, UInt(FIONREAD), &available) == 0 else { return }
        var remaining = Int(available)
        while remaining > 0, outputOpen {
            let before = output.totalBytes
            readOutput(into: &output, onOutput: onOutput, limit: remaining)
            let taken = output.totalBytes - before
            if taken == 0 { break }
            remaining -= taken
        }
    }

    /// Writes as much pending script as the pipe takes without blocking.
    private func writeScript() {
        while !pendingScript.isEmpty, scriptFD >= 0 {
            let count = pendingScript.withUnsafeBytes { write(scriptFD, $0.baseAddress, $0.count) }
            if count > 0 {
                pendingScript.removeFirst(count)
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                // EAGAIN: poll() says when to go on. EPIPE: the shell is gone, and poll() says so.
                if count < 0 && errno != EAGAIN { pendingScript.removeAll() }
                return
            }
        }
    }

    private func closeScript() {
        if scriptFD >= 0 { close(scriptFD) }
        scriptFD = -1
        pendingScript.removeAll()
    }

    /// Waits at most `limit` for the shell to exit, without reaping it.
    private func waitForExit(within limit: Duration) {
        let deadline = ContinuousClock.now + limit
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return }
            // Without a pidfd the status pipe's end tells the same.
            var fds = [pollfd(fd: exitFD >= 0 ? exitFD : statusFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 1, Self.milliseconds(roundingUp: remaining))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { return }
            if exitFD >= 0 || !readStatus() { return }
        }
    }

    /// Kills the shell and all it started, reaps it, and returns its exit status. The shell is
    /// reaped last: until then its PID, the session's ID, cannot be reused by another session.
    private func endShell(alsoKilling escaped: [ProcessTree.Entry] = []) -> Int32 {
        if let endStatus { return endStatus }
        ProcessTree.kill(sessionOf: processID, sparingLeader: false, alsoKilling: escaped)
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
        closeScript()
        return exitStatus
    }

    private static func milliseconds(roundingUp duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
