import Glibc

extension ShellSession {
    /// What connects the harness to its shell, and the shell's process.
    struct Launch {
        var processID: pid_t
        /// The script file (the shell's standard input), read and write; the harness only appends.
        var script: Int32
        /// Bytes in the script file.
        var scriptLength: Int
        /// The shell started in its cgroup (`DirectSpawn`): it need not be moved there.
        var bornInGroup: Bool
        /// A descriptor of the shell's own mount namespace (`DirectSpawn`), or -1: held, the
        /// namespace outlives the shell, so that its teardown is not part of the shell's exit.
        var namespace: Int32 = -1
        /// The shell is PID 1 of a PID namespace of its own: the PIDs it tells (`$!`) are that
        /// namespace's.
        var ownPIDNamespace = false
    }

    /// How the script must start, given how the shell is started.
    struct Opening {
        /// The shell starts in the working directory (false where the C library cannot change
        /// directory for the child: the script must).
        var changesDirectory: Bool
        /// The shell must wait until the harness has moved it into its cgroup.
        var waitsForGroup: Bool
    }

    /// Starts the shell in a new session, reading its script from a private file, with the
    /// descriptors `channel` gives it for output and markers, with exactly the configured
    /// environment and no other inherited descriptor: born in `group`, and with masks or covered
    /// directories in mount and PID namespaces of its own, where the kernel can (`DirectSpawn`);
    /// otherwise with posix_spawn (the caller moves it into `group`; `MountIsolation` makes the
    /// mount namespace, and there is no PID namespace).
    /// `opening` is the script's start for the way the shell is started.
    static func launch(_ configuration: Configuration, path: String, channel: any Channel, group: ControlGroup?,
                       opening: (Opening) -> [UInt8]) throws(ExecutionError) -> Launch {
        _ = GlibcExtensions.ignoreBrokenPipe
        var opened: [Int32] = []
        do throws(ExecutionError) {
            guard let file = GlibcExtensions.anonymousFile(named: "transcript-script") else {
                throw ExecutionError("cannot create the shell's script file: \(errorText(errno))")
            }
            // The shell's descriptors are moved to 0-3; keep this one clear of those numbers until then.
            let script = GlibcExtensions.aboveMarkerDescriptor(file)
            opened.append(script)
            let ends = [ChannelEnd(target: 0, source: .descriptor(script))] + (try channel.open())
            let isolated = !configuration.masks.isEmpty || !configuration.covered.isEmpty
            if group != nil || isolated, DirectSpawn.isUsable {
                let start = opening(Opening(changesDirectory: true, waitsForGroup: false))
                try write(start, to: script)
                if let pid = try spawnDirect(path: path, configuration: configuration, group: group, ends: ends, isolated: isolated) {
                    channel.shellStarted()
                    let namespace = isolated ? open("/proc/\(pid)/ns/mnt", O_RDONLY | O_CLOEXEC) : -1
                    return Launch(processID: pid, script: script, scriptLength: start.count, bornInGroup: group != nil,
                                  namespace: namespace, ownPIDNamespace: isolated)
                }
            }
            let changesDirectory = GlibcExtensions.canAddChdir
            let start = opening(Opening(changesDirectory: changesDirectory, waitsForGroup: group != nil))
            try write(start, to: script)
            let pid = try spawn(path: path, configuration: configuration, changingDirectory: changesDirectory, ends: ends)
            channel.shellStarted()
            return Launch(processID: pid, script: script, scriptLength: start.count, bornInGroup: false)
        } catch {
            for fd in opened { close(fd) }
            channel.close()
            throw error
        }
    }

    /// The script file holds exactly `bytes`.
    private static func write(_ bytes: [UInt8], to script: Int32) throws(ExecutionError) {
        guard ftruncate(script, 0) == 0, writeAll(script, bytes, at: 0) else {
            throw ExecutionError("cannot write the shell's script file: \(errorText(errno))")
        }
    }

    /// Starts the shell with clone3 in `group` if there is one (and, `isolated`, in its mount and
    /// PID namespaces); nil when the kernel refuses (nothing started: posix_spawn takes over).
    private static func spawnDirect(path: String, configuration: Configuration, group: ControlGroup?,
                                    ends: [ChannelEnd], isolated: Bool) throws(ExecutionError) -> pid_t? {
        var cgroup: Int32 = -1
        if let group {
            guard let opened = group.openDirectory() else { return nil }
            cgroup = opened
        }
        defer { if cgroup >= 0 { close(cgroup) } }
        let request = DirectSpawn.Request(
            program: path, arguments: [configuration.shell],
            environment: configuration.environment.map { "\($0.key)=\($0.value)" },
            directory: configuration.workingDirectory, cgroup: cgroup, ends: ends,
            closeFrom: ShellScript.markerDescriptor + 1,
            masks: configuration.masks.sorted { $0.key < $1.key }.map { (target: $0.key, source: $0.value) },
            covered: configuration.covered, newPIDNamespace: isolated)
        switch DirectSpawn.start(request) {
        case .started(let pid): return pid
        case .refused: return nil
        case .failed(let error): throw error
        }
    }

    /// Writes all of `bytes` at `offset` (not moving the file offset, which the shell reads by).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                pwrite(fd, raw.baseAddress.map { $0 + done }, raw.count - done, off_t(offset + done))
            }
            if count > 0 {
                done += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    private static func spawn(
        path: String, configuration: Configuration, changingDirectory: Bool, ends: [ChannelEnd]
    ) throws(ExecutionError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for end in ends {
            switch end.source {
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, end.target)
            case .path(let file, let flags):
                // Opened after the new session starts: a terminal opened so becomes the controlling one.
                posix_spawn_file_actions_addopen(&actions, end.target, file, flags, 0)
            }
        }
        // Our own descriptors are close-on-exec; this also covers any another library opened without it.
        _ = GlibcExtensions.addCloseFrom(&actions, ShellScript.markerDescriptor + 1)
        if changingDirectory, !GlibcExtensions.addChdir(&actions, configuration.workingDirectory) {
            throw ExecutionError("cannot start \(path) in \(configuration.workingDirectory): \(errorText(errno))")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        setAttributes(&attributes)
        let (program, arguments) = try command(path: path, configuration: configuration)
        let environment = configuration.environment.map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw ExecutionError("cannot start \(path) in \(configuration.workingDirectory): \(errorText(result))")
        }
        return pid
    }

    /// A new session, and signals as a process started from a prompt has them.
    private static func setAttributes(_ attributes: inout posix_spawnattr_t) {
        // Signals the harness ignores (SIGPIPE) or blocks must not stay so in the shell.
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        let flags = GlibcExtensions.spawnSetSID | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)
        posix_spawnattr_setflags(&attributes, Int16(flags))
    }

    /// The program to start and its arguments: the shell itself, or, with masks or covered
    /// directories, the shell started in a mount namespace of its own (`MountIsolation`).
    private static func command(path: String, configuration: Configuration) throws(ExecutionError) -> (String, [String]) {
        guard !configuration.masks.isEmpty || !configuration.covered.isEmpty else { return (path, [configuration.shell]) }
        let searchPath = systemSearchPath(getenv("PATH").map { String(cString: $0) })
        guard let unshare = findProgram("unshare", path: searchPath), let bash = findProgram("bash", path: searchPath),
              let mount = findProgram("mount", path: searchPath) else {
            let paths = configuration.masks.keys.sorted() + configuration.covered.map(\.path)
            throw ExecutionError("cannot start \(path) with paths covered (\(paths.joined(separator: ", "))): no unshare, bash or mount on PATH")
        }
        let interpreter = MountIsolation.interpreter(covered: configuration.covered, environment: configuration.environment)
        let script = MountIsolation.script(masks: configuration.masks, covered: configuration.covered, mount: mount, interpreter: interpreter)
        let run = interpreter == .posix ? ["/bin/sh", "-c", script, configuration.shell] : [bash, "-c", script, configuration.shell, path]
        return (unshare, ["unshare", "--mount", "--propagation", "private", "--"] + run)
    }

    /// The shell's path: as given when it names a directory, otherwise looked up on the PATH the
    /// shell will have (the harness's own PATH when the environment has none; an empty entry is
    /// the working directory, as for the shell).
    static func resolve(_ shell: String, environment: [String: String]) throws(ExecutionError) -> String {
        if shell.contains("/") { return shell }
        let searchPath = environment["PATH"] ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        let directories = searchPath.split(separator: ":", omittingEmptySubsequences: false).map { $0.isEmpty ? "." : $0 }
        if let found = findProgram(shell, path: directories.joined(separator: ":")) { return found }
        throw ExecutionError("shell '\(shell)' not found on PATH (\(searchPath))")
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
