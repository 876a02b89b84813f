import Glibc

extension ShellSession {
    /// The three pipes between the harness and its shell, and the shell's process.
    struct Launch {
        var processID: pid_t
        var script: Int32
        var output: Int32
        var status: Int32
        /// False where the C library cannot change directory for the child: the script must.
        var changedDirectory: Bool
    }

    /// Starts the shell in a new session, reading its script from a pipe, writing standard output
    /// and standard error to one pipe and statuses to a third on fd 3, with exactly the
    /// configured environment and no other inherited descriptor.
    static func launch(_ configuration: Configuration) throws(ExecutionError) -> Launch {
        _ = GlibcExtensions.ignoreBrokenPipe
        let path = try resolve(configuration.shell, environment: configuration.environment)

        var opened: [Int32] = []
        func makePipe() throws(ExecutionError) -> (read: Int32, write: Int32) {
            guard let ends = GlibcExtensions.makePipe() else {
                throw ExecutionError("cannot create a pipe for the shell: \(errorText(errno))")
            }
            // The child's ends are moved to 0-3; keep them clear of those numbers until then.
            let pair = (read: aboveStandard(ends.read), write: aboveStandard(ends.write))
            opened += [pair.read, pair.write]
            return pair
        }
        do {
            let script = try makePipe()
            let output = try makePipe()
            let status = try makePipe()
            let (pid, changed) = try spawn(
                path: path, configuration: configuration,
                stdin: script.read, output: output.write, status: status.write
            )
            for fd in [script.read, output.write, status.write] { close(fd) }
            for fd in [script.write, output.read, status.read] {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
            // Fewer wake-ups for commands that print a lot; refused above the system's maximum.
            _ = fcntl(output.read, GlibcExtensions.setPipeSize, 1 << 20)
            return Launch(processID: pid, script: script.write, output: output.read, status: status.read, changedDirectory: changed)
        } catch {
            for fd in opened { close(fd) }
            throw error
        }
    }

    private static func spawn(
        path: String, configuration: Configuration, stdin: Int32, output: Int32, status: Int32
    ) throws(ExecutionError) -> (pid_t, changedDirectory: Bool) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        posix_spawn_file_actions_adddup2(&actions, status, ShellScript.statusDescriptor)
        // Our own descriptors are close-on-exec; this also covers any another library opened without it.
        _ = GlibcExtensions.addCloseFrom(&actions, ShellScript.statusDescriptor + 1)
        let changed = GlibcExtensions.addChdir(&actions, configuration.workingDirectory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
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

        let arguments = [configuration.shell]
        let environment = configuration.environment.map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw ExecutionError("cannot start \(path) in \(configuration.workingDirectory): \(errorText(result))")
        }
        return (pid, changed)
    }

    /// The shell's path: as given when it names a directory, otherwise looked up on the PATH the
    /// shell will have (the harness's own PATH when the environment has none).
    static func resolve(_ shell: String, environment: [String: String]) throws(ExecutionError) -> String {
        if shell.contains("/") { return shell }
        let searchPath = environment["PATH"] ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + shell
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw ExecutionError("shell '\(shell)' not found on PATH (\(searchPath))")
    }

    /// `fd`, moved above 3 (close-on-exec) if it is one of the numbers the child's pipes take.
    private static func aboveStandard(_ fd: Int32) -> Int32 {
        guard fd <= ShellScript.statusDescriptor else { return fd }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, ShellScript.statusDescriptor + 1)
        guard moved >= 0 else { return fd }
        close(fd)
        return moved
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
