import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Image archives in `docker save` format, built once per run and loaded into each engine.
///
/// `busyboxImages(cacheDirectory:)` writes, without a registry, the images the Docker
/// transcripts use, from the host's static busybox. The archive is deterministic (sorted
/// entries, mtime 0, owner 0, fixed `created` dates), so image IDs depend only on the busybox
/// binary and the architecture. Their `created` dates differ (ubuntu 2020-01-01, training/webapp
/// 2020-01-02, myapp 2020-01-03), so `docker images` lists them in a fixed order:
///
/// | tags | Cmd | WorkingDir | layers |
/// | --- | --- | --- | --- |
/// | `training/webapp:latest` | `python app.py` | `/opt/webapp` | base, webapp |
/// | `ubuntu:latest` | `/bin/bash` | `/` | base |
/// | `myapp:2.0.0`, `myapp:latest` | `/app/run` | `/app` | base, myapp |
///
/// The base layer holds busybox with its applets as symlinks and `/bin/bash` running busybox
/// sh. `python app.py` runs app.py with sh: it prints a line (once its SIGTERM trap is set, so a
/// client that waits for the line can stop it) and serves until SIGTERM, then
/// exits 143 (or exits 0 at once when `WEBAPP_ONCE` is set). `/app/run` prints a line and runs
/// until SIGTERM, then exits 0.
package final class DockerFixtures: Sendable {
    /// The archive files, loaded in this order.
    package let archives: [String]
    private let contents: [[UInt8]]

    /// The tags `busyboxImages` provides.
    package static let busyboxImageTags = ["training/webapp:latest", "ubuntu:latest", "myapp:2.0.0", "myapp:latest"]

    /// Fixtures from existing archives (read once, here).
    package init(archives: [String]) throws(DockerEngineError) {
        var contents: [[UInt8]] = []
        for path in archives {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DockerEngineError("cannot read the image archive \(path)")
            }
            contents.append([UInt8](data))
        }
        self.archives = archives
        self.contents = contents
    }

    /// The standard busybox images, written to `cacheDirectory/busybox-images.tar` unless an
    /// archive is already there (the run's cache: build once, load into every engine).
    /// With `qualified`, the tags are written fully qualified (docker.io/library/ubuntu:latest):
    /// Docker shows them short either way, Podman only then; the image IDs are the same.
    package static func busyboxImages(cacheDirectory: String, busybox: String? = nil, qualified: Bool = false) throws(DockerEngineError) -> DockerFixtures {
        let name = qualified ? "busybox-images-qualified.tar" : "busybox-images.tar"
        let path = (cacheDirectory.hasSuffix("/") ? cacheDirectory : cacheDirectory + "/") + name
        if FileManager.default.fileExists(atPath: path) {
            return try DockerFixtures(archives: [path])
        }
        let archive = try BusyboxImageArchive.build(busybox: busybox, qualified: qualified)
        do {
            try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
            let partial = path + ".\(getpid()).part"
            try Data(archive).write(to: URL(fileURLWithPath: partial))
            if rename(partial, path) != 0 {
                throw DockerEngineError("cannot rename \(partial): \(String(cString: strerror(errno)))")
            }
        } catch let error as DockerEngineError {
            throw error
        } catch {
            throw DockerEngineError("cannot write \(path): \(error.localizedDescription)")
        }
        return try DockerFixtures(archives: [path])
    }

    /// Loads every archive into `engine` (the API's `docker load`).
    package func load(into engine: DockerEngine) throws(DockerEngineError) {
        try load(socket: engine.socketPath, logPath: engine.logPath, engineName: "Docker")
    }

    /// Loads every archive through the Docker API at `socket`; a failure carries the last lines
    /// of the engine's log at `logPath`.
    func load(socket: String, logPath: String, engineName: String) throws(DockerEngineError) {
        for (path, body) in zip(archives, contents) {
            let response = try DockerSocketHTTP.request(
                socket: socket, method: "POST", target: "/images/load?quiet=1",
                body: body, contentType: "application/x-tar", timeout: .seconds(60))
            let text = response.text
            if response.status != 200 || text.contains("\"errorDetail\"") || text.contains("\"error\"") {
                throw DockerEngineError(
                    "loading \(path) into the \(engineName) engine failed (HTTP \(response.status)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))",
                    logTail: DockerEngineProcess.tail(of: logPath, lines: 10))
            }
        }
    }
}

/// Writes the busybox image archive (see `DockerFixtures`).
enum BusyboxImageArchive {
    static let applets = [
        "[", "ash", "cat", "cp", "date", "echo", "env", "false", "grep", "head", "hostname", "id", "kill",
        "ls", "mkdir", "mv", "printf", "ps", "pwd", "rm", "sed", "sh", "sleep", "sort", "tail", "test",
        "touch", "tr", "true", "uname", "wc",
    ]

    static func build(busybox: String?, qualified: Bool = false) throws(DockerEngineError) -> [UInt8] {
        guard let busyboxPath = busybox ?? ["/bin/busybox", "/usr/bin/busybox"].first(where: { access($0, X_OK) == 0 }) else {
            throw DockerEngineError("no busybox to build the fixture images from (install busybox-static)")
        }
        guard let data = FileManager.default.contents(atPath: busyboxPath) else {
            throw DockerEngineError("cannot read \(busyboxPath)")
        }
        let binary = [UInt8](data)
        if isDynamicELF(binary) {
            throw DockerEngineError("\(busyboxPath) is dynamically linked; the fixture images need a static busybox (busybox-static)")
        }
        return try archive(busybox: binary, architecture: architecture(), qualified: qualified)
    }

    static func archive(busybox: [UInt8], architecture: String, qualified: Bool = false) throws(DockerEngineError) -> [UInt8] {
        let base = try layer(baseEntries(busybox: busybox))
        let webapp = try layer(webappEntries())
        let myapp = try layer(myappEntries())
        let layers = [("base", base), ("webapp", webapp), ("myapp", myapp)].map { (name: $0.0, bytes: $0.1, id: SHA256.hex($0.1)) }
        func id(_ name: String) -> String { layers.first { $0.name == name }?.id ?? "" }

        var files: [TarArchive.Entry] = []
        for layer in layers {
            files.append(.init(path: layer.id, mode: 0o755, kind: .directory))
            files.append(.init(path: layer.id + "/VERSION", mode: 0o644, kind: .file(Array("1.0".utf8))))
            files.append(.init(path: layer.id + "/json", mode: 0o644, kind: .file(Array("{\"id\":\"\(layer.id)\"}".utf8))))
            files.append(.init(path: layer.id + "/layer.tar", mode: 0o644, kind: .file(layer.bytes)))
        }
        // Distinct dates make `docker images` list them in one order: newest first.
        struct Image { var tags: [String]; var cmd: String; var workdir: String; var layers: [String]; var created: String }
        let images = [
            Image(tags: ["training/webapp:latest"], cmd: #"["python","app.py"]"#, workdir: "/opt/webapp", layers: ["base", "webapp"], created: "2020-01-02T00:00:00Z"),
            Image(tags: ["ubuntu:latest"], cmd: #"["/bin/bash"]"#, workdir: "/", layers: ["base"], created: "2020-01-01T00:00:00Z"),
            Image(tags: ["myapp:2.0.0", "myapp:latest"], cmd: #"["/app/run"]"#, workdir: "/app", layers: ["base", "myapp"], created: "2020-01-03T00:00:00Z"),
        ]
        var manifest: [String] = []
        var repositories: [String: [(tag: String, layer: String)]] = [:]
        for image in images {
            let diffIDs = image.layers.map { "\"sha256:\(id($0))\"" }.joined(separator: ",")
            let history = image.layers.map { "{\"created\":\"\(image.created)\",\"created_by\":\"transcript fixture layer \($0)\"}" }
                .joined(separator: ",")
            let config = "{\"architecture\":\"\(architecture)\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],"
                + "\"Cmd\":\(image.cmd),\"WorkingDir\":\"\(image.workdir)\"},\"created\":\"\(image.created)\",\"history\":[\(history)],"
                + "\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\(diffIDs)]}}"
            let configBytes = Array(config.utf8)
            let configName = SHA256.hex(configBytes) + ".json"
            files.append(.init(path: configName, mode: 0o644, kind: .file(configBytes)))
            let tags = image.tags.map { "\"\(qualified ? fullyQualified($0) : $0)\"" }.joined(separator: ",")
            let layerPaths = image.layers.map { "\"\(id($0))/layer.tar\"" }.joined(separator: ",")
            manifest.append("{\"Config\":\"\(configName)\",\"RepoTags\":[\(tags)],\"Layers\":[\(layerPaths)]}")
            for tag in image.tags {
                let parts = tag.split(separator: ":", maxSplits: 1).map(String.init)
                repositories[parts[0], default: []].append((parts.count > 1 ? parts[1] : "latest", id(image.layers.last ?? "base")))
            }
        }
        files.append(.init(path: "manifest.json", mode: 0o644, kind: .file(Array(("[" + manifest.joined(separator: ",") + "]\n").utf8))))
        let repositoriesJSON = repositories.keys.sorted().map { name in
            let tags = (repositories[name] ?? []).map { "\"\($0.tag)\":\"\($0.layer)\"" }.joined(separator: ",")
            return "\"\(name)\":{\(tags)}"
        }.joined(separator: ",")
        files.append(.init(path: "repositories", mode: 0o644, kind: .file(Array(("{" + repositoriesJSON + "}\n").utf8))))
        return try layer(files)
    }

    /// `ubuntu:latest` as docker.io/library/ubuntu:latest, `training/webapp:latest` as
    /// docker.io/training/webapp:latest: the names Docker gives short ones.
    static func fullyQualified(_ tag: String) -> String {
        let name = tag.split(separator: ":", maxSplits: 1).first.map(String.init) ?? tag
        return "docker.io/" + (name.contains("/") ? "" : "library/") + tag
    }

    /// A tar of `entries`, sorted by path so the bytes do not depend on the order given.
    private static func layer(_ entries: [TarArchive.Entry]) throws(DockerEngineError) -> [UInt8] {
        var tar = TarArchive()
        for entry in entries.sorted(by: { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }) {
            try tar.append(entry)
        }
        return tar.finished
    }

    private static func script(_ text: String) -> TarArchive.Kind { .file(Array(text.utf8)) }

    private static func baseEntries(busybox: [UInt8]) -> [TarArchive.Entry] {
        var entries: [TarArchive.Entry] = [
            .init(path: "bin", mode: 0o755, kind: .directory),
            .init(path: "bin/busybox", mode: 0o755, kind: .file(busybox)),
            // busybox does not answer to "bash"; a script does, and keeps ps showing /bin/bash.
            .init(path: "bin/bash", mode: 0o755, kind: script("#!/bin/sh\nexec /bin/sh \"$@\"\n")),
            .init(path: "dev", mode: 0o755, kind: .directory),
            .init(path: "etc", mode: 0o755, kind: .directory),
            .init(path: "etc/group", mode: 0o644, kind: script("root:x:0:\nnogroup:x:65534:\n")),
            .init(path: "etc/passwd", mode: 0o644, kind: script("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")),
            .init(path: "proc", mode: 0o755, kind: .directory),
            .init(path: "root", mode: 0o700, kind: .directory),
            .init(path: "sys", mode: 0o755, kind: .directory),
            .init(path: "tmp", mode: 0o1777, kind: .directory),
            .init(path: "usr", mode: 0o755, kind: .directory),
            .init(path: "usr/bin", mode: 0o755, kind: .directory),
        ]
        for applet in applets {
            entries.append(.init(path: "bin/" + applet, mode: 0o777, kind: .symlink("busybox")))
        }
        return entries
    }

    private static func webappEntries() -> [TarArchive.Entry] {
        [
            .init(path: "opt", mode: 0o755, kind: .directory),
            .init(path: "opt/webapp", mode: 0o755, kind: .directory),
            .init(path: "opt/webapp/app.py", mode: 0o644, kind: script("""
                trap 'exit 143' TERM
                echo " * Running on http://0.0.0.0:5000/"
                [ -n "${WEBAPP_ONCE:-}" ] && exit 0
                sleep 2147483647 &
                wait

                """)),
            .init(path: "usr", mode: 0o755, kind: .directory),
            .init(path: "usr/bin", mode: 0o755, kind: .directory),
            // Stands in for an interpreter: runs the script it is given with sh.
            .init(path: "usr/bin/python", mode: 0o755, kind: script("#!/bin/sh\nexec /bin/sh \"$@\"\n")),
        ]
    }

    private static func myappEntries() -> [TarArchive.Entry] {
        [
            .init(path: "app", mode: 0o755, kind: .directory),
            .init(path: "app/run", mode: 0o755, kind: script("""
                #!/bin/sh
                trap 'exit 0' TERM
                echo "myapp 2.0.0 started"
                sleep 2147483647 &
                wait

                """)),
        ]
    }

    /// The image architecture name of this machine, as Docker spells it.
    static func architecture() -> String {
        var names = utsname()
        uname(&names)
        let machine = withUnsafeBytes(of: &names.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64", "arm64": return "arm64"
        case "armv7l", "armv6l": return "arm"
        case "i686", "i386": return "386"
        default: return machine
        }
    }

    /// True for an ELF file with a PT_INTERP program header (a dynamically linked program).
    static func isDynamicELF(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 64, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46,
              bytes[4] == 2, bytes[5] == 1 else { return false }  // 64-bit little-endian only
        func integer(_ offset: Int, _ width: Int) -> Int {
            guard offset + width <= bytes.count else { return 0 }
            var value = 0
            for i in (0..<width).reversed() { value = value << 8 | Int(bytes[offset + i]) }
            return value
        }
        let tableOffset = integer(0x20, 8), entrySize = integer(0x36, 2), count = integer(0x38, 2)
        for index in 0..<count where integer(tableOffset + index * entrySize, 4) == 3 {
            return true
        }
        return false
    }
}
