import Foundation
import Glibc

/// One shell process for one transcript file: commands are fed to it, one or a batch at a time,
/// their merged standard output and standard error are collected while they run, and everything
/// it started is killed when the session ends.
///
/// The protocol with the shell is described in `ShellScript`; how commands' input and output
/// travel is the session's `Channel`. A batch is pulled: `start(batch:timeout:)`, then `next()`
/// on it until it returns nil (`ShellBatch`). Calls are serialized by a lock, so a session may be
/// handed between threads; sessions are independent of each other.
///
/// The session's parts: this file (configuration, state, exports, the end), `+Launch` (the first
/// batch starts the shell), `+Spawn` (the process), `+Batch` (sending a batch and pulling its
/// events), `+Markers` (cutting output into commands), `+End` (waiting for and reaping the shell),
/// `+Run` (the callback API over `ShellBatch`).
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
        /// shell runs in the harness's own namespace (an engine's lease supplies them).
        package var masks: [String: String] = [:]
        /// Directories the shell sees empty but for the paths each keeps (in the same mount
        /// namespace as the masks): e.g. the engines' runtime root.
        package var covered: [CoveredDirectory] = []

        package init(shell: String = "bash", workingDirectory: String, environment: [String: String], outputLimit: Int = 16 << 20) {
            self.shell = shell
            self.workingDirectory = workingDirectory
            self.environment = environment
            self.outputLimit = outputLimit
        }
    }

    package let configuration: Configuration
    /// How commands' output travels back (and what they read).
    let channel: any Channel
    /// The shell's path, resolved when the session is made.
    let path: String
    /// bash runs each batch as one group (`ShellScript.runInGroup`); other shells a line per command.
    let grouped: Bool
    /// Once a command might have redirected the shell's output or switched on `set -x`, every
    /// later one gets the full line (`runInGroup`), not the plain one.
    var cautious: Bool
    /// Once a command might have set an `ERR` or `DEBUG` trap, `$?` is no longer restored between
    /// commands (the trap would run again for the restoring function).
    var mayTrapErrors = false
    /// Once a command reads `$?`, every later one gets the status of the one before it.
    var readsStatus = false
    /// The shell's process ID, which is also its session ID and process group ID, once it runs:
    /// it starts with the first commands, already in its script.
    package var processID: pid_t? {
        processLock.lock()
        defer { processLock.unlock() }
        return startedID
    }
    let processLock = NSLock()
    var startedID: pid_t?
    /// The cgroup the shell and all it starts are kept in (`ProcessContainment`), once it runs;
    /// nil where the harness has none. Set and read under `processLock`.
    var startedGroup: ControlGroup?
    var group: ControlGroup? {
        processLock.lock()
        defer { processLock.unlock() }
        return startedGroup
    }
    /// The shell has started, or could not start.
    var launched = false

    /// How long (µs) to let the shell run ahead within a batch before reading again, while at
    /// least `runAhead` commands of it remain (a short batch is read as it comes).
    static let catchUp: UInt32 = 200
    static let runAhead = 16

    /// How long `terminate()` lets the shell end by itself after its script ends.
    static let exitGrace: Duration = .milliseconds(100)

    /// Held by each call (a batch's `next()` included), not between a batch's events: the caller
    /// may `export` between them.
    let lock = NSLock()
    /// The script file (the shell's standard input); -1 until the shell starts and once closed.
    var scriptFD: Int32 = -1
    var scriptLength = 0
    /// Readable when the shell exits (a pidfd); -1 on kernels without them.
    var exitFD: Int32 = -1
    /// The shell's mount namespace, held until the shell has ended (`Launch.namespace`); -1.
    var namespaceFD: Int32 = -1
    /// Script text for the next batch (exports).
    var pendingScript: [UInt8] = []
    /// Hex digits unique to this session, in every marker.
    let salt: String
    /// The marker's fixed start: byte 036 and the salt.
    let markerPrefix: [UInt8]
    /// The number of the next command sent.
    var nextNumber = 0
    /// Output read but not yet given to a command: the start of a marker not complete yet, or
    /// what came after the last command of a batch (it goes to the next command, as it would
    /// have, unread, in the pipe).
    var held: [UInt8] = []
    /// The shell's last background process (`$!`) as its last marker said; 0 before any.
    var lastBackgroundPID: pid_t = 0
    /// `$!` as the shell told it, in its own PID namespace where it has one.
    var lastBackgroundTold: pid_t = 0
    /// The shell is PID 1 of a PID namespace of its own (`Launch.ownPIDNamespace`).
    var ownPIDNamespace = false
    /// The shell's own exit status, once it has ended and been reaped.
    var endStatus: Int32?
    var closed = false
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)

    /// Checks that the shell and the working directory exist; the shell starts with the first
    /// command. Commands' output travels through `channel` (one pipe unless told otherwise).
    package init(configuration: Configuration, channel: any Channel = PipeChannel()) throws(ExecutionError) {
        self.configuration = configuration
        self.channel = channel
        // What this session can do for a channel; a new kind of framing or input is handled here.
        switch channel.framing {
        case .markersInOutput: break  // `+Markers` reads them from the output
        }
        switch channel.commandInput {
        case .empty: break  // every command's line redirects from /dev/null (`ShellScript`)
        }
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
        group?.kill()
        if let pid = processID { ProcessTree.kill(sessionOf: pid, sparingLeader: false) }
    }

    /// Why the shell could not start: the first command's output, as the shell ended.
    var startError: String?

    /// What the shell waits on between batches: a pipe of the harness's own, which the shell opens
    /// by its /proc path only for the wait (no file system work per session), or, where the shell
    /// cannot see that path, a FIFO in a private directory (`privateDirectory()`).
    var waitDirectory: String?
    var waitPath = ""
    /// The harness's write end; a newline lets the shell go on.
    var waitFD: Int32 = -1
    /// The pipe's read end, held so that the pipe lives while the shell is not waiting.
    var waitReadFD: Int32 = -1

    /// While no PID has wrapped around since the shell started, the shell's PID: every process
    /// it started has a larger one, and looking for them needs to read no older process.
    var pidFloor: pid_t?
    var lastPIDSeen: pid_t = 0

    deinit {
        terminate()
        scratch.deallocate()
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
            // In a cgroup nothing escapes; the whole group is killed at the end.
            let escaped = group != nil ? [] : ProcessTree.escaped(from: processID, floor: scanFloor())
            _ = signalWait()
            waitForExit(within: Self.exitGrace)
            _ = endShell(alsoKilling: escaped)
        }
        // A cgroup something in which outlives two seconds of SIGKILL (a process stuck in the
        // kernel) stays: the sweep of a run after this harness removes it. An empty one is
        // removed in the background, before the harness exits.
        group?.removeLater()
        if namespaceFD >= 0 {
            // The namespace's last reference: its mounts are torn down in the background.
            let namespace = namespaceFD
            BackgroundTeardown.enqueue { close(namespace) }
            namespaceFD = -1
        }
        if startedID != nil, let marker = configuration.environment["TMPDIR"] {
            ProcessContainment.killOrphans(marked: "TMPDIR=" + marker)
        }
        channel.close()
        for fd in [exitFD, scriptFD, waitFD, waitReadFD] where fd >= 0 { close(fd) }
        exitFD = -1
        scriptFD = -1
        waitFD = -1
        waitReadFD = -1
        if let waitDirectory {
            removeTree(waitDirectory)
            LaunchGate.forget(waitDirectory)
        }
    }
}
