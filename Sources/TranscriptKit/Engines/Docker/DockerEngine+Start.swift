import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starting a private daemon: its runtime directory, the `unshare` launch, the wait until it
/// answers, and the fixtures it loads.
extension DockerEngine {
    /// Starts a private daemon in a new directory under `runtimeRoot`, waits until it answers
    /// `/_ping` (at most `readyTimeout`), and loads `fixtures` into it: from `store` (an image
    /// store with them, `DockerImageStore`) when given, else through the API.
    package static func start(
        dockerd: String = "dockerd", runtimeRoot: String, fixtures: DockerFixtures?, store: String? = nil,
        storageDriver: String? = nil, readyTimeout: Duration = .seconds(20)
    ) throws(DockerEngineError) -> DockerEngine {
        let (daemon, unshare) = try DockerEngineProcess.programs(dockerd, for: "the Docker engine")
        let directory = try makeRuntimeDirectory(under: runtimeRoot)
        let socketPath = directory + "/d.sock"
        guard (directory + "/x/containerd/containerd.sock.ttrpc").utf8.count < 108 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw DockerEngineError("runtime root \(runtimeRoot) is too long for unix socket paths (108 bytes): use a shorter one, e.g. /tmp/transcript-engines")
        }
        let copying = ContinuousClock.now
        if let store, fixtures != nil {
            do throws(DockerEngineError) {
                try DockerImageStore.lay(store, into: directory + "/data")
            } catch {
                DockerEngineProcess.removeEngineDirectory(directory)
                throw error
            }
        }
        let copied = ContinuousClock.now - copying
        let arguments = launchArguments(daemon: daemon, directory: directory, socketPath: socketPath, storageDriver: storageDriver)
        let began = ContinuousClock.now
        let (launcher, watchdog) = try launch(unshare, arguments, directory: directory)
        let started = Launched(daemon: daemon, directory: directory, socketPath: socketPath, launcher: launcher, watchdog: watchdog)
        try started.waitUntilReady(deadline: began + readyTimeout, readyTimeout: readyTimeout)
        let ready = ContinuousClock.now
        let engine = started.engine(storageDriver: storageDriver, startDuration: ready - began)
        DockerEngineRegistry.shared.add(engine)
        if let fixtures, store != nil {
            engine.fixtures = fixtures
            engine.loadDuration = copied
        } else if let fixtures {
            do {
                try fixtures.load(into: engine)
                engine.fixtures = fixtures
            } catch {
                engine.stop()
                throw error
            }
            engine.loadDuration = ContinuousClock.now - ready
        }
        return engine
    }

    /// `unshare`'s arguments: new namespaces, an init shell as their PID 1, and dockerd.
    private static func launchArguments(daemon: String, directory: String, socketPath: String, storageDriver: String?) -> [String] {
        var daemonArguments = [
            "--data-root", directory + "/data",
            "--exec-root", directory + "/x",
            "--pidfile", directory + "/dockerd.pid",
            "--host", "unix://" + socketPath,
            "--bridge=none", "--iptables=false", "--ip-masq=false", "--ip-forward=false",
            "--userland-proxy=false",
        ]
        if let storageDriver { daemonArguments.append("--storage-driver=" + storageDriver) }
        // PID 1 of the namespace: ignores signals it has no handler for, so it traps them.
        // Descriptor 9 is the read end of a pipe only the harness writes to: when the harness
        // is gone, even by SIGKILL, the read ends and the daemon is stopped.
        let initScript = """
            echo 1 > /proc/sys/net/ipv4/ip_forward 2>/dev/null
            mkdir -p /run/containerd && mount -t tmpfs -o mode=0711 transcript /run/containerd 2>/dev/null
            "$0" "$@" 9<&- &
            daemon=$!
            { read -r _ || :; kill -TERM $daemon 2>/dev/null; } <&9 &
            exec 9<&-
            trap 'kill -TERM $daemon 2>/dev/null' TERM INT HUP
            while kill -0 $daemon 2>/dev/null; do wait $daemon; done
            """
        return [
            "--net", "--mount", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc",
            "--propagation", "private", "--", "/bin/sh", "-c", initScript, daemon,
        ] + daemonArguments
    }

    /// Spawns `unshare` through the launch gate with the watchdog pipe; returns the launcher's
    /// PID and the pipe's write end. On failure the runtime directory is removed. `extra` adds
    /// to the engine's environment (`engineEnvironment`); its output goes to `logName`.
    static func launch(
        _ unshare: String, _ arguments: [String], directory: String,
        logName: String = "dockerd.log", engineName: String = "Docker", extra: [String: String] = [:]
    ) throws(DockerEngineError) -> (pid_t, Int32) {
        do throws(DockerEngineError) {
            // The engine's own files (containerd's stack dumps on SIGUSR1 or a crash, Go's
            // temporary files) go to a TMPDIR inside its directory, so they are wiped with it.
            let temporary = directory + "/tmp"
            guard mkdir(temporary, 0o700) == 0 || errno == EEXIST else {
                throw DockerEngineError("cannot create the engine's TMPDIR \(temporary): \(String(cString: strerror(errno)))")
            }
            let environment = engineEnvironment(temporary: temporary, harness: ProcessInfo.processInfo.environment)
                .merging(extra) { $1 }
            // Not once the run is interrupted (`LaunchGate`): the engine would outlive it.
            guard LaunchGate.enter() else { throw DockerEngineError("cannot start the \(engineName) engine: the run was interrupted") }
            defer { LaunchGate.leave() }
            guard let ends = GlibcExtensions.makePipe() else {
                throw DockerEngineError("cannot start the \(engineName) engine: pipe: \(String(cString: strerror(errno)))")
            }
            defer { close(ends.read) }
            do {
                let launcher = try DockerEngineProcess.spawn(unshare, arguments, environment: environment,
                                                             logPath: directory + "/" + logName, watchdog: ends.read)
                return (launcher, ends.write)
            } catch {
                close(ends.write)
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// The variables the harness passes on to an engine as they are: what dockerd needs to
    /// reach registries through a proxy, and to run where the root is a ramdisk.
    static let passedVariables = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "DOCKER_RAMDISK"]

    /// The engine's whole environment, built rather than inherited (so none of the harness's
    /// tokens reach it): PATH (the system search path, where the harness found dockerd), HOME
    /// (root's), TMPDIR `temporary`, and the `passedVariables` the harness has.
    package static func engineEnvironment(temporary: String, harness: [String: String]) -> [String: String] {
        var environment = ["PATH": systemSearchPath(harness["PATH"]), "TMPDIR": temporary, "HOME": homeDirectory()]
        for name in passedVariables {
            if let value = harness[name] { environment[name] = value }
        }
        return environment
    }

    /// The effective user's home directory, "/" when it has none.
    private static func homeDirectory() -> String {
        guard let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir else { return "/" }
        return String(cString: directory)
    }

    static func makeRuntimeDirectory(under root: String) throws(DockerEngineError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw DockerEngineError("cannot create the engines' runtime root \(root): \(error.localizedDescription)")
        }
        // Through the launch gate, and registered at once: an interruption sweeps it
        // (`stopAll`), and none is made once the run is interrupted.
        let directory: String
        switch LaunchGate.makeDirectory((root.hasSuffix("/") ? root : root + "/") + "XXXXXX", owner: DockerEngineRegistry.shared.made) {
        case .made(let path): directory = path
        case .closed: throw DockerEngineError("cannot start the Docker engine: the run was interrupted")
        case .failed(let code): throw DockerEngineError("cannot create a runtime directory under \(root): \(String(cString: strerror(code)))")
        }
        // Whose it is, so that a later run can tell it was left by a harness that is gone.
        FileManager.default.createFile(atPath: directory + "/harness.pid", contents: Data("\(getpid())\n".utf8))
        sweepStaleDirectories(under: root, except: directory)
        return directory
    }

    /// Runtime directories left under `root` by a harness that was killed outright (SIGKILL:
    /// its engine stops itself, see the init script, but a graceful stop of its containers takes
    /// seconds, and nothing removes the directory): once per process, the engines of harnesses
    /// that are gone are killed at once (their namespace's init with them, and so every process
    /// in it: containerd, shims, containers), and their directories removed.
    private static func sweepStaleDirectories(under root: String, except own: String) {
        guard DockerEngineRegistry.shared.claimSweep(root) else { return }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for entry in entries where !entry.hasPrefix("fixtures-") {
            let directory = (root.hasSuffix("/") ? root : root + "/") + entry
            guard directory != own,
                  let text = try? String(contentsOfFile: directory + "/harness.pid", encoding: .utf8),
                  let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  DockerEngineProcess.isGone(owner),
                  killLeftEngine(directory)
            else { continue }
            DockerEngineProcess.unmountAll(under: directory)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Kills every process that names `directory` (the engine's init, dockerd, containerd and
    /// shims: the init's end takes its PID namespace down); true once none is left (within 2 s).
    private static func killLeftEngine(_ directory: String) -> Bool {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            let left = DockerEngineProcess.processes(mentioning: directory + "/")
            if left.isEmpty { return true }
            if ContinuousClock.now >= deadline { return false }
            for pid in left { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "status \((status >> 8) & 0xff)" }
        return "signal \(signal)"
    }
}

/// A daemon spawned and not yet answering: what waiting for it and giving up on it need.
private struct Launched {
    let daemon: String
    let directory: String
    let socketPath: String
    let launcher: pid_t
    let watchdog: Int32

    var logPath: String { directory + "/dockerd.log" }

    /// Polls `/_ping` until it answers; a daemon that exits or does not answer in time is
    /// taken down with everything it started.
    func waitUntilReady(deadline: ContinuousClock.Instant, readyTimeout: Duration) throws(DockerEngineError) {
        while true {
            if let status = DockerEngineProcess.reapIfExited(launcher) {
                close(watchdog)
                let tail = DockerEngineProcess.tail(of: logPath, lines: 20)
                DockerEngineProcess.unmountAll(under: directory)
                try? FileManager.default.removeItem(atPath: directory)
                throw DockerEngineError("the Docker engine (\(daemon)) exited during startup with \(DockerEngine.describe(status))", logTail: tail)
            }
            if DockerSocketHTTP.ping(socket: socketPath) { return }
            if ContinuousClock.now >= deadline {
                throw fail("the Docker engine (\(daemon)) did not answer on \(socketPath) within \(readyTimeout)")
            }
            usleep(10_000)
        }
    }

    /// Takes the half-started daemon down; the error carries its log's last lines.
    private func fail(_ message: String) -> DockerEngineError {
        let tail = DockerEngineProcess.tail(of: logPath, lines: 20)
        let partial = DockerEngine(
            runtimeDirectory: directory, socketPath: socketPath, serverVersion: "", storageDriver: "",
            startDuration: .zero, launcherID: launcher,
            initID: DockerEngineProcess.children(of: launcher).first)
        partial.watchdog = watchdog
        partial.stop()
        return DockerEngineError(message, logTail: tail)
    }

    /// The engine object of a daemon that answers: its init process, version and storage driver.
    func engine(storageDriver: String?, startDuration: Duration) -> DockerEngine {
        var initID: pid_t?
        for _ in 0..<100 {
            initID = DockerEngineProcess.children(of: launcher).first
            if initID != nil { break }
            usleep(1_000)
        }
        var serverVersion = "unknown"
        var driver = storageDriver ?? "unknown"
        if let info = try? DockerSocketHTTP.request(socket: socketPath, method: "GET", target: "/version", timeout: .seconds(5)),
           let object = try? JSONSerialization.jsonObject(with: Data(info.body)) as? [String: Any] {
            serverVersion = object["Version"] as? String ?? serverVersion
        }
        if storageDriver == nil,
           let info = try? DockerSocketHTTP.request(socket: socketPath, method: "GET", target: "/info", timeout: .seconds(5)),
           let object = try? JSONSerialization.jsonObject(with: Data(info.body)) as? [String: Any] {
            driver = object["Driver"] as? String ?? driver
        }
        let engine = DockerEngine(
            runtimeDirectory: directory, socketPath: socketPath, serverVersion: serverVersion, storageDriver: driver,
            startDuration: startDuration, launcherID: launcher, initID: initID)
        engine.watchdog = watchdog
        return engine
    }
}
