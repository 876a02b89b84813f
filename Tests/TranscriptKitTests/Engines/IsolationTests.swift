import Foundation
import Glibc
import Testing
@testable import TranscriptKit

/// A listening unix socket at `path` (closed with the returned descriptor).
private func listen(at path: String) throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    try #require(bound == 0 && Glibc.listen(fd, 4) == 0)
    return fd
}

/// The mount namespace of a file's shell: masks, covered directories, and what they keep.
@Suite struct MountIsolationTests {
    @Test func theScriptMasksFirstThenCoversAndBindsBackOnlyWhatLiesUnder() {
        let script = MountIsolation.script(
            masks: ["/run/docker.sock": "/e/own/d.sock"],
            covered: [CoveredDirectory(path: "/e", kept: ["/e/own", "/elsewhere"])], mount: "/bin/mount")
        let lines = script.split(separator: "\n").map(String.init)
        #expect(lines.first == "'/bin/mount' --bind '/e/own/d.sock' '/run/docker.sock' || exit 125")
        #expect(lines.contains("exec 4<'/e/own' || exit 125"))
        #expect(lines.contains("'/bin/mount' -t tmpfs -o mode=0755 transcript-covered '/e' || exit 125"))
        #expect(lines.contains("mkdir -p '/e/own' && '/bin/mount' -c --bind /proc/self/fd/4 '/e/own' || exit 125"))
        #expect(!script.contains("/elsewhere"))
        #expect(lines.last == "exec -a \"$0\" \"$1\"")
        let posix = MountIsolation.script(masks: [:], covered: [], mount: "/bin/mount", interpreter: .posix)
        #expect(posix == "exec \"$0\"")
        let many = CoveredDirectory(path: "/e", kept: (1...7).map { "/e/\($0)" })
        #expect(MountIsolation.interpreter(covered: [many], environment: ["PATH": "/bin"]) == .bash)
        #expect(MountIsolation.interpreter(covered: [], environment: [:]) == .bash)
    }

    @Test func coveredDirectoriesMergeByPath() {
        let merged = CoveredDirectory.merged([
            CoveredDirectory(path: "/a", kept: ["/a/1"]), CoveredDirectory(path: "/b"),
            CoveredDirectory(path: "/a", kept: ["/a/2", "/a/1"]),
        ])
        #expect(merged == [CoveredDirectory(path: "/a", kept: ["/a/1", "/a/2"]), CoveredDirectory(path: "/b")])
    }

    @Test func aCoveredDirectoryShowsOnlyWhatItKeepsToTheShellOnly() throws {
        try #require(MountIsolation.isPossible, "mount namespaces need root")
        let fixture = try ShellFixture()
        let root = fixture.directory + "/root"
        for name in ["own", "other"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: root + "/own/file", contents: Data("mine\n".utf8))
        var configuration = ShellSession.Configuration(workingDirectory: fixture.directory, environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"])
        configuration.covered = [CoveredDirectory(path: root, kept: [root + "/own"]),
                                 CoveredDirectory(path: fixture.directory + "/later")]
        let shell = try ShellSession(configuration: configuration)
        defer { shell.terminate() }
        let result = shell.run("ls root; cat root/own/file; ls -A later | wc -l; echo \"$0\"", timeout: .seconds(20))
        #expect(String(decoding: result.output, as: UTF8.self) == "own\nmine\n0\nbash\n")
        // Outside that shell, everything is there; a covered directory that was missing is made.
        #expect(fixture.text("ls root; [ -d later ] && echo made") == "other\nown\nmade\n")
    }
}

/// The host's engine sockets and the engine's own environment.
@Suite struct HostIsolationTests {
    @Test func socketsAreFoundAtDefaultAndUserPathsOnce() throws {
        let runtime = "/tmp/isolation-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: runtime + "/podman", withIntermediateDirectories: true)
        defer { removeTree(runtime) }
        let docker = try listen(at: runtime + "/docker.sock")
        let podman = try listen(at: runtime + "/podman/podman.sock")
        defer { close(docker); close(podman) }
        try FileManager.default.createSymbolicLink(atPath: runtime + "/link", withDestinationPath: runtime)
        let found = HostEngineSockets.find(runtimeDirectories: [runtime, runtime + "/link", "/nonexistent"])
            .filter { $0.path.hasPrefix(runtime) }
        #expect(found.map(\.engine) == ["docker", "podman"])
        #expect(found.map(\.path) == [runtime + "/docker.sock", runtime + "/podman/podman.sock"])
    }

    @Test func everyPrivateFileGetsTheHostMasksWhateverItsText() throws {
        let file = try engineFile(text: "echo nothing of engines here")
        defer { removeTree(file.directory) }
        let provided = try EngineSet(engines: [], mode: .private).provide(needed: [], for: file).get()
        #expect(provided.masks == HostEngineSockets.masks())
        #expect(Set(provided.masks.values).isSubset(of: ["/dev/null"]))
        let host = try EngineSet(engines: [], mode: .host).provide(needed: [], for: file).get()
        #expect(host.masks.isEmpty)
    }

    @Test func filesOfAPrivateRunSeeTheRuntimeRootsCovered() throws {
        try #require(MountIsolation.isPossible, "mount namespaces need root")
        var configuration = Configuration()
        configuration.docker.runtimeRoot = "/tmp/isolation-root"
        let file = try engineFile(configuration: configuration)
        defer { removeTree(file.directory) }
        let covered = DockerEngineKind(mode: .private, environment: [:]).absent(for: file).covered
        #expect(covered == [CoveredDirectory(path: "/tmp/transcript-engines"), CoveredDirectory(path: "/tmp/isolation-root")])
        #expect(DockerEngineKind(mode: .host, environment: [:]).absent(for: file).covered.isEmpty)
    }

    @Test func theEngineEnvironmentIsBuiltNotInherited() {
        let harness = ["PATH": "/opt/bin", "GITHUB_TOKEN": "secret", "HOME": "/home/someone", "HTTPS_PROXY": "http://proxy:3128",
                       "DOCKER_HOST": "tcp://elsewhere", "TMPDIR": "/tmp"]
        let environment = DockerEngine.engineEnvironment(temporary: "/e/x/tmp", harness: harness)
        #expect(Set(environment.keys) == ["PATH", "HOME", "TMPDIR", "HTTPS_PROXY"])
        #expect(environment["TMPDIR"] == "/e/x/tmp")
        #expect(environment["PATH"] == systemSearchPath("/opt/bin"))
        #expect(environment["HOME"] != "/home/someone")
    }
}

/// Whether mount namespaces can be made, read from the capabilities in effect.
@Suite struct MountCapabilityTests {
    @Test func systemAdministrationIsBit21OfTheEffectiveSet() {
        #expect(MountIsolation.hasSystemAdministration(status: "Name:\tx\nCapEff:\t000001ffffffffff\n"))
        #expect(!MountIsolation.hasSystemAdministration(status: "CapEff:\t00000000a80425fb\n"))
        #expect(!MountIsolation.hasSystemAdministration(status: "no capabilities here"))
    }
}
