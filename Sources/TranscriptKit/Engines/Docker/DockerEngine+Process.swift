import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Processes, /proc and mounts: the low-level steps of starting and tearing down a daemon.
enum DockerEngineProcess {
    /// Whether no process `pid` exists (any more): what leftovers of a killed harness are told by.
    static func isGone(_ pid: pid_t) -> Bool {
        kill(pid, 0) != 0 && errno == ESRCH
    }

    /// The absolute path of `name` (returned as is when it contains a slash), searching PATH
    /// and then the sbin directories a non-login root PATH may lack.
    static func which(_ name: String) -> String? {
        findProgram(name, path: systemSearchPath(ProcessInfo.processInfo.environment["PATH"]))
    }

    /// Starts `executable` with `arguments`, standard input from /dev/null and standard
    /// output and error appended to `logPath`; `watchdog`, if given, becomes its descriptor 9.
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], logPath: String, watchdog: Int32 = -1
    ) throws(DockerEngineError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if watchdog >= 0 { posix_spawn_file_actions_adddup2(&actions, watchdog, 9) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The harness may block or ignore signals in its own threads; the daemon must not inherit that.
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envpBuffer in
                guard let argvBase = argvBuffer.baseAddress, let envpBase = envpBuffer.baseAddress else { return EINVAL }
                return posix_spawn(&pid, executable, &actions, &attributes, argvBase, envpBase)
            }
        }
        guard status == 0 else {
            throw DockerEngineError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Reaps `pid` if it has exited; returns its wait status then, nil while it runs.
    static func reapIfExited(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return status }
        if result < 0 && errno == ECHILD { return 0 }
        return nil
    }

    /// Waits up to `timeout` for the child `pid` to exit, reaping it. True when it did.
    static func waitForExit(_ pid: pid_t, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if reapIfExited(pid) != nil { return true }
            if ContinuousClock.now >= deadline { return false }
            usleep(5_000)
        }
    }

    /// Process IDs of every process whose parent is `parent`.
    static func children(of parent: pid_t) -> [pid_t] {
        allProcesses().filter { parentID(of: $0) == parent }
    }

    /// Process IDs of every process whose command line contains `text`.
    static func processes(mentioning text: String) -> [pid_t] {
        let own = getpid()
        return allProcesses().filter { pid in
            guard pid != own, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return false
            }
            let commandLine = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return commandLine.contains(text)
        }
    }

    static func allProcesses() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }
    }

    static func parentID(of pid: pid_t) -> pid_t? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so start after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 2 else { return nil }
        return pid_t(fields[1])
    }

    /// Mount points at or below `directory`, deepest first, from /proc/self/mountinfo.
    static func mounts(under directory: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/self/mountinfo") else { return [] }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var found: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { continue }
            let mountPoint = ProcessContainment.unescape(fields[4])
            if mountPoint == directory || mountPoint.hasPrefix(prefix) { found.append(mountPoint) }
        }
        return found.sorted { $0.count > $1.count }
    }

    /// Detaches every mount at or below `directory`.
    static func unmountAll(under directory: String) {
        for _ in 0..<4 {
            let points = mounts(under: directory)
            if points.isEmpty { return }
            for point in points { umount2(point, Int32(MNT_DETACH)) }
        }
    }

    /// Detaches the mounts under an engine's `directory` and removes it. Processes of the
    /// engine's namespace may still be on their way out, holding mounts or writing files for a
    /// moment after its PID 1 is gone: tries again briefly before giving up.
    static func removeEngineDirectory(_ directory: String) {
        unmountAll(under: directory)
        for attempt in 0..<40 {
            if (try? FileManager.default.removeItem(atPath: directory)) != nil
                || !FileManager.default.fileExists(atPath: directory) { break }
            if attempt > 0 { unmountAll(under: directory) }
            usleep(50_000)
        }
    }

    /// The version `PROGRAM --version` prints ("Docker version 28.2.2, build e6534b4",
    /// "podman version 4.3.1"), or "unknown" without the program on PATH.
    static func clientVersion(of program: String) -> String {
        guard let path = which(program) else { return "unknown" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unknown" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: "version ") else { return "unknown" }
        return String(text[range.upperBound...].prefix { $0 != "," && $0 != "\n" && $0 != " " })
    }

    /// The last `lines` lines of a text file, or "" when it cannot be read.
    static func tail(of path: String, lines: Int) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        let all = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return all.suffix(lines + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What every private engine kind does to start and end through `unshare --pid --fork`.
extension DockerEngineProcess {
    /// The engine's program and `unshare`, found on PATH, or why not (`what`: "the Docker engine").
    static func programs(_ program: String, for what: String) throws(DockerEngineError) -> (program: String, unshare: String) {
        guard let found = which(program) else {
            throw DockerEngineError("cannot start \(what): \"\(program)\" is not an executable file nor a program on PATH")
        }
        guard let unshare = which("unshare") else {
            throw DockerEngineError("cannot start \(what): no unshare on PATH (util-linux)")
        }
        return (found, unshare)
    }

    /// Ends an engine's namespace: SIGTERM to its init (`initID`, else the launcher's first
    /// child), and after `grace` `beforeKill` then SIGKILL to the init, whose end takes every
    /// process of the namespace with it. Without an init, the launcher is killed.
    static func endNamespace(launcher: pid_t, initID: pid_t?, grace: Duration, beforeKill: () -> Void = {}) {
        guard let initID = initID ?? children(of: launcher).first else {
            kill(launcher, SIGKILL)
            _ = waitForExit(launcher, timeout: .seconds(5))
            return
        }
        kill(initID, SIGTERM)
        if !waitForExit(launcher, timeout: grace) {
            beforeKill()
            kill(initID, SIGKILL)
            _ = waitForExit(launcher, timeout: .seconds(5))
        }
    }

    /// Belt and braces after a namespace's end: kills anything outside it still naming
    /// `directory`, then removes the directory with its mounts.
    static func killStragglersAndRemove(_ directory: String) {
        for pid in processes(mentioning: directory + "/") {
            kill(pid, SIGKILL)
        }
        removeEngineDirectory(directory)
    }
}
