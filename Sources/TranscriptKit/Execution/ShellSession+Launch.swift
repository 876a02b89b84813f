import Glibc

extension ShellSession {
    /// Starts the shell with `script` (the first batch) as the start of its script.
    func start(with script: [UInt8]) -> Bool {
        launched = true
        do throws(ExecutionError) {
            // Before the gate, which making it takes too.
            if !opensHarnessPipes { _ = try privateDirectory() }
        } catch {
            startError = error.message
            endStatus = error.exitStatus
            return false
        }
        guard LaunchGate.enter() else {
            startError = "interrupted"
            endStatus = 255
            return false
        }
        defer { LaunchGate.leave() }
        let group = ProcessContainment.makeGroup()
        do {
            try makeWait()
            let waitPath = waitPath
            let launch = try Self.launch(configuration, path: path, channel: channel, group: group) { how in
                // Moved into a cgroup after its start, the shell's first line waits (a builtin:
                // nothing forked) until the harness has moved it there.
                var opening = how.waitsForGroup ? Array((ShellScript.wait(waitPath) + "\n").utf8) : []
                if !how.changesDirectory {
                    opening += Array("cd -- \(ShellScript.quote(configuration.workingDirectory)) || exit 126\n".utf8)
                }
                opening += script
                return ShellScript.batch(opening, waitingOn: waitPath, minimumLength: ShellScript.block)
            }
            ProcessContainment.note(shell: launch.processID, running: true)
            var contained: ControlGroup?
            if let group, launch.bornInGroup {
                contained = group
            } else if let group {
                // Refused (the hierarchy's rules): the shell runs as it would without cgroups.
                if group.add(launch.processID) { contained = group } else { group.remove(within: .zero) }
                _ = signalWait()
            }
            scriptFD = launch.script
            scriptLength = launch.scriptLength
            exitFD = GlibcExtensions.pidfdOpen(launch.processID) ?? -1
            namespaceFD = launch.namespace
            ownPIDNamespace = launch.ownPIDNamespace
            processLock.lock()
            startedID = launch.processID
            startedGroup = contained
            processLock.unlock()
            pidFloor = launch.processID
            lastPIDSeen = launch.processID
            return true
        } catch {
            group?.remove(within: .zero)
            startError = error.message
            endStatus = error.exitStatus
            return false
        }
    }

    /// Makes what the shell waits on between batches (see `waitPath`): with the gate entered,
    /// so a FIFO goes in the private directory made before.
    func makeWait() throws(ExecutionError) {
        if opensHarnessPipes {
            guard let ends = GlibcExtensions.makePipe() else {
                throw ExecutionError("cannot create a pipe for the shell: \(Self.errorText(errno))")
            }
            waitReadFD = ends.read
            waitFD = ends.write
            _ = fcntl(waitFD, F_SETFL, fcntl(waitFD, F_GETFL) | O_NONBLOCK)
            waitPath = "/proc/\(getpid())/fd/\(ends.read)"
            return
        }
        guard let directory = waitDirectory else { throw ExecutionError("no private directory for the shell") }
        waitPath = directory + "/wait"
        guard let fd = GlibcExtensions.makeFIFO(at: waitPath) else {
            throw ExecutionError("cannot create a FIFO for the shell: \(Self.errorText(errno))")
        }
        waitFD = fd
    }

    /// Whether the shell opens the harness's pipes (the wait, answers to prompts) by their /proc
    /// path: not where it gets a mount namespace, and with it (where the kernel starts it so) a PID
    /// namespace, in which it sees no process of the harness, nor where /proc does not show the
    /// harness's descriptors. Otherwise they are FIFOs in `privateDirectory()`.
    var opensHarnessPipes: Bool {
        configuration.masks.isEmpty && configuration.covered.isEmpty && Self.procShowsDescriptors
    }

    static let procShowsDescriptors = access("/proc/\(getpid())/fd", R_OK | X_OK) == 0

    /// The session's directory for FIFOs, made on first use under the harness's TMPDIR through
    /// the launch gate (none once the run is interrupted, and the interruption removes one this
    /// session could not), named as the files' temporary directories are (`TemporaryDirectories`),
    /// so that the run after a harness killed outright sweeps it; removed with its contents when
    /// the session ends.
    func privateDirectory() throws(ExecutionError) -> String {
        if let waitDirectory { return waitDirectory }
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        switch LaunchGate.makeDirectory(TemporaryDirectories.template(base: base, kept: false)) {
        case .made(let directory):
            waitDirectory = directory
            return directory
        case .closed:
            throw ExecutionError("interrupted")
        case .failed(let code):
            throw ExecutionError("cannot create a private directory for the shell in \(base): \(Self.errorText(code))")
        }
    }

    /// Lets the shell read on: a newline in the FIFO it waits on.
    func signalWait() -> Bool {
        guard waitFD >= 0 else { return false }
        var newline = UInt8(ascii: "\n")
        while true {
            let count = write(waitFD, &newline, 1)
            if count == 1 { return true }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }
}
