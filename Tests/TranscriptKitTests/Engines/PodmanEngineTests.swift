import Foundation
import Testing
@testable import TranscriptKit
#if canImport(Glibc)
import Glibc
#endif

/// The `[podman]` section, and what it takes from `[docker]`.
@Suite struct PodmanSettingsTests {
    @Test func readsEveryKey() throws {
        let config = try Configuration.parse("""
            [podman]
            podman = "/usr/bin/podman"
            runtime-root = "/tmp/p"
            fixtures = "none"
            images = ["a.tar"]
            setup = "setup.sh"
            storage-driver = "vfs"
            """, path: "transcript.toml")
        var expected = PodmanSettings()
        expected.podman = "/usr/bin/podman"
        expected.runtimeRoot = "/tmp/p"
        expected.fixtures = "none"
        expected.images = ["a.tar"]
        expected.setup = "setup.sh"
        expected.storageDriver = "vfs"
        #expect(config.podman == expected)
        #expect(config.podmanFixtures == "none" && config.podmanImages == ["a.tar"] && config.podmanRuntimeRoot == "/tmp/p")
    }

    @Test func whatItLeavesOutIsDockers() throws {
        let config = try Configuration.parse("""
            [docker]
            runtime-root = "/tmp/d"
            fixtures = "busybox"
            images = ["d.tar"]
            setup = "d.sh"
            """, path: "transcript.toml")
        #expect(config.podman == PodmanSettings())
        #expect(config.podmanFixtures == "busybox" && config.podmanImages == ["d.tar"])
        #expect(config.podmanSetup == "d.sh" && config.podmanRuntimeRoot == "/tmp/d")
        #expect(Configuration().podmanRuntimeRoot == "/tmp/transcript-engines")
    }

    @Test func problemsPointAtTheirKey() {
        do {
            _ = try Configuration.parse("[podman]\ndockerd = \"x\"\nfixtures = \"alpine\"\n", path: "t.toml")
            Issue.record("expected errors")
        } catch {
            #expect(error.items.map { "\($0.line):\($0.column) \($0.message)" } == [
                "2:1 unknown key 'dockerd' in [podman]", "3:1 unknown fixtures 'alpine'",
            ])
        }
    }
}

@Suite struct PodmanConfigurationFilesTests {
    @Test func everyPathIsTheEnginesOwn() {
        let files = PodmanConfigurationFiles(directory: "/e/podman-1.2-abc")
        let text = files.containersText
        #expect(text.contains("lock_type = \"file\""))
        #expect(text.contains("events_logfile_path = \"/e/podman-1.2-abc/events.log\""))
        #expect(text.contains("image_copy_tmp_dir = \"/e/podman-1.2-abc/tmp\""))
        #expect(text.contains("network_config_dir = \"/e/podman-1.2-abc/networks\""))
        #expect(text.contains("cgroup_manager = \"cgroupfs\"") && text.contains("runtime = \"runc\""))
        #expect(text.contains("\"nofile=\(PodmanConfigurationFiles.openFileLimit):\(PodmanConfigurationFiles.openFileLimit)\", \"nproc=32768:32768\""))
        #expect(files.storageText == "[storage]\ndriver = \"overlay\"\nrunroot = \"/run/containers/storage\"\ngraphroot = \"/e/podman-1.2-abc/root\"\n")
        #expect(PodmanConfigurationFiles(directory: "/e", storageDriver: "vfs").storageText.hasPrefix("[storage]\ndriver = \"vfs\"\n"))
        #expect(files.environment["CONTAINERS_CONF"] == "/e/podman-1.2-abc/containers.conf")
        #expect(files.environment["CONTAINERS_STORAGE_CONF"] == "/e/podman-1.2-abc/storage.conf")
    }
}

@Suite struct PodmanControlGroupsTests {
    static let hybridMounts = """
        30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
        31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:9 - cgroup2 cgroup2 rw
        32 30 0:28 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd
        33 30 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
        34 30 0:30 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
        35 30 0:30 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct
        """
    static let hybridMembership = "4:memory:/job/a\n3:cpu,cpuacct:/\n1:name=systemd:/user\n0::/job/b\n"

    @Test func eachHierarchyOnceWithTheHarnessesOwnCgroup() {
        let found = PodmanControlGroups.hierarchies(mountinfo: Self.hybridMounts, cgroup: Self.hybridMembership)
        #expect(found == [
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/unified", own: "/sys/fs/cgroup/unified/job/b", isUnified: true),
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/systemd", own: "/sys/fs/cgroup/systemd/user", isUnified: false),
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/memory", own: "/sys/fs/cgroup/memory/job/a", isUnified: false),
            CgroupHierarchy(mountPoint: "/sys/fs/cgroup/cpu,cpuacct", own: "/sys/fs/cgroup/cpu,cpuacct", isUnified: false),
        ])
    }

    @Test func aMountOfPartOfTheTreeCountsFromItsRoot() {
        let mounts = "40 1 0:40 /job /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
        #expect(PodmanControlGroups.hierarchies(mountinfo: mounts, cgroup: "0::/job/x\n")
                == [CgroupHierarchy(mountPoint: "/sys/fs/cgroup", own: "/sys/fs/cgroup/x", isUnified: true)])
        #expect(PodmanControlGroups.hierarchies(mountinfo: mounts, cgroup: "0::/elsewhere\n") == [])
    }

    @Test func theEnginesPidOneTakesEachPlace() {
        let groups = PodmanControlGroups(delegated: [
            .init(directory: "/sys/fs/cgroup/memory/transcript-1.2-podman-abc", mountPoint: "/sys/fs/cgroup/memory", isUnified: false),
        ])
        #expect(groups.shellLines == "mount --bind '/sys/fs/cgroup/memory/transcript-1.2-podman-abc' '/sys/fs/cgroup/memory' && echo 0 > '/sys/fs/cgroup/memory/cgroup.procs'")
        #expect(HarnessOwner.owner(of: "transcript-1.2-podman-abc", prefix: ControlGroup.prefix) == "1.2")
    }
}

@Suite struct QualifiedFixtureTests {
    @Test func shortNamesAreDockerHubs() {
        #expect(BusyboxImageArchive.fullyQualified("ubuntu:latest") == "docker.io/library/ubuntu:latest")
        #expect(BusyboxImageArchive.fullyQualified("training/webapp:latest") == "docker.io/training/webapp:latest")
    }

    @Test func qualifiedNamesKeepTheImageIDs() throws {
        let busybox = Array(repeating: UInt8(7), count: 4096)
        let short = try BusyboxImageArchive.archive(busybox: busybox, architecture: "amd64")
        let qualified = try BusyboxImageArchive.archive(busybox: busybox, architecture: "amd64", qualified: true)
        let text = String(decoding: qualified, as: UTF8.self)
        #expect(text.contains("\"RepoTags\":[\"docker.io/library/myapp:2.0.0\",\"docker.io/library/myapp:latest\"]"))
        #expect(text.contains("\"RepoTags\":[\"docker.io/training/webapp:latest\"]"))
        let configs = { (bytes: [UInt8]) in
            String(decoding: bytes, as: UTF8.self).split(separator: "\"").filter { $0.hasSuffix(".json") && $0.count == 69 }.map(String.init).sorted()
        }
        #expect(configs(short) == configs(qualified) && configs(short).count == 3)
    }
}

private let podmanAvailable = PodmanEngine.availability() == nil && MountIsolation.isPossible

@Suite("Engine contract: Podman", .enabled(if: podmanAvailable, "needs root, podman, conmon, runc and unshare"), .serialized)
struct PodmanEngineContractTests {
    @Test func podmanKeepsTheContract() throws {
        var configuration = Configuration()
        configuration.podman.runtimeRoot = "/tmp/transcript-engines-test"
        configuration.podman.fixtures = "busybox"
        let file = try engineFile(text: "podman ps", configuration: configuration)
        defer { removeTree(file.directory) }
        let kind = PodmanEngineKind(mode: .private, environment: ProcessInfo.processInfo.environment)
        defer { kind.finish() }
        try checkEngineContract(kind, file: file) { lease in
            let engine = (lease as? PodmanPrivateLease)?.engine
            let directory = engine?.runtimeDirectory ?? "/nonexistent-runtime"
            let groups = engine?.controlGroups.delegated.map(\.directory) ?? []
            #expect(!groups.isEmpty, "the engine has cgroups of its own")
            #expect(lease.environment["DOCKER_HOST"] == lease.environment["CONTAINER_HOST"])
            #expect(lease.environment["TRANSCRIPT_DOCKER_IMAGES"]?.hasSuffix("/busybox-images-qualified.tar") == true)
            return {
                var left = DockerEngineProcess.processes(mentioning: directory + "/").map { "process \($0)" }
                if FileManager.default.fileExists(atPath: directory) { left.append(directory) }
                left += groups.filter { FileManager.default.fileExists(atPath: $0) }
                return left + DockerEngineProcess.mounts(under: directory)
            }
        }
    }

    @Test func startLoadAndStop() throws {
        let cache = "/tmp/transcript-engines-test/cache-podman-\(getpid())"
        defer { removeTree(cache) }
        let fixtures = try DockerFixtures.busyboxImages(cacheDirectory: cache, qualified: true)
        let engine = try PodmanEngine.start(runtimeRoot: "/tmp/transcript-engines-test", fixtures: fixtures)
        #expect(engine.serverVersion != "unknown")
        let response = try DockerSocketHTTP.request(socket: engine.socketPath, method: "GET", target: "/images/json", timeout: .seconds(5))
        let images = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
        #expect(images.flatMap { ($0["RepoTags"] as? [String]) ?? [] }.sorted() == DockerFixtures.busyboxImageTags.map(BusyboxImageArchive.fullyQualified).sorted())
        let stopping = ContinuousClock.now
        engine.stop()
        print("podman engine: ready in \(engine.startDuration), fixtures loaded in \(engine.loadDuration), stopped in \(ContinuousClock.now - stopping)")
        #expect(!FileManager.default.fileExists(atPath: engine.runtimeDirectory))
        #expect(PodmanEngine.running.isEmpty)
    }

    @Test func aStoreCopiedFromAFirstEngineHoldsTheFixtures() throws {
        let cache = FixtureCache(qualifiedNames: true)
        defer { cache.finish() }
        let fixtures = try #require(try cache.fixtureSet(busybox: true, extra: []))
        let start = { (fixtures: DockerFixtures) throws(DockerEngineError) -> PodmanEngine in
            try PodmanEngine.start(runtimeRoot: "/tmp/transcript-engines-test", fixtures: fixtures)
        }
        let built = try PodmanImageStore.store(for: fixtures, driver: "overlay", in: cache, start: start)
        // The engine that built the store comes back to the call that built it, to serve its file.
        let builder = try #require(built.builder)
        builder.stop()
        let again = try PodmanImageStore.store(for: fixtures, driver: "overlay", in: cache, start: start)
        #expect(again.path == built.path && again.builder == nil, "built once")
        let store = built.path
        let engine = try PodmanEngine.start(runtimeRoot: "/tmp/transcript-engines-test", fixtures: fixtures, store: store)
        defer { engine.stop() }
        let response = try DockerSocketHTTP.request(socket: engine.socketPath, method: "GET", target: "/images/json", timeout: .seconds(5))
        let images = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
        #expect(images.flatMap { ($0["RepoTags"] as? [String]) ?? [] }.sorted() == DockerFixtures.busyboxImageTags.map(BusyboxImageArchive.fullyQualified).sorted())
        #expect(engine.environment["TRANSCRIPT_DOCKER_IMAGES"] == fixtures.archives.joined(separator: ":"))
        print("podman engine from a store: copied in \(engine.loadDuration), ready in \(engine.startDuration)")
    }
}

@Suite struct PodmanAvailabilityTests {
    @Test func whatIsMissingIsNamedWithItsPackage() {
        guard geteuid() == 0 else {
            #expect(PodmanEngine.availability() == "not running as root (a private Podman engine needs root)")
            return
        }
        #expect(PodmanEngine.availability(podman: "no-such-podman") == "no no-such-podman on PATH (podman)")
        let reason = PodmanEngineKind(mode: .private, environment: [:]).unavailableReason(configuration: Configuration())
        #expect(reason == PodmanEngine.availability())
        var named = Configuration()
        named.podman.podman = "/nonexistent/podman"
        // Named explicitly: starting it says why not, rather than a skip.
        #expect(PodmanEngineKind(mode: .private, environment: [:]).unavailableReason(configuration: named) == PodmanEngine.availability(podman: nil))
    }
}

@Suite("Podman engine guard")
struct PodmanEngineGuardTests {
    @Test func aFileWithoutTheEngineReachesNone() throws {
        var file = try engineFile(text: "podman ps")
        defer { removeTree(file.directory) }
        let guarding = PodmanEngineKind(mode: .private, environment: [:]).absent(for: file)
        #expect(guarding.environment == ["CONTAINER_HOST": "unix://\(file.directory)/.no-podman-engine.sock"])
        file.environment["CONTAINER_HOST"] = "unix:///run/user/1000/podman/podman.sock"
        #expect(PodmanEngineKind(mode: .host, environment: [:]).absent(for: file).environment == [:])
    }

    @Test func hostModeUsesTheUsersService() {
        let kind = PodmanEngineKind(mode: .host, environment: ["CONTAINER_HOST": "unix:///run/u/podman.sock"])
        #expect(kind.hostEnvironment() == ["CONTAINER_HOST": "unix:///run/u/podman.sock", "DOCKER_HOST": "unix:///run/u/podman.sock"])
        #expect(PodmanEngineKind(mode: .host, environment: [:]).hostEnvironment()["CONTAINER_HOST"] == "unix:///run/podman/podman.sock")
        #expect(PodmanEngineKind.isUsed(by: "x=$(podman ps -q)") && !PodmanEngineKind.isUsed(by: "echo podman"))
    }
}

/// A lease that only sets variables.
private final class VariablesLease: EngineLease, @unchecked Sendable {
    let environment: [String: String]
    var masks: [String: String] { [:] }
    var setup: EngineSetup? { nil }
    var info: EngineInfo { EngineInfo(name: "x", displayName: "X", kind: "private", serverVersion: "1", clientVersion: "1", readySeconds: 0) }
    init(_ environment: [String: String]) { self.environment = environment }
    func stop() {}
}

@Suite struct TwoEngineKindsTests {
    @Test func aFileWithBothEnginesHasDockerHostLeadToTheFirst() {
        var both = FileEngines()
        both.add(VariablesLease(["DOCKER_HOST": "unix:///docker.sock"]), of: DockerEngineKind.self)
        both.add(VariablesLease(["DOCKER_HOST": "unix:///podman.sock", "CONTAINER_HOST": "unix:///podman.sock"]), of: PodmanEngineKind.self)
        #expect(both.environment == ["DOCKER_HOST": "unix:///docker.sock", "CONTAINER_HOST": "unix:///podman.sock"])
    }

    @Test func aLeaseWinsOverAnEarlierGuardAndAGuardNeverOverALease() {
        var podmanOnly = FileEngines()
        podmanOnly.add(EngineGuard(environment: ["DOCKER_HOST": "unix:///nowhere.sock"]))
        podmanOnly.add(VariablesLease(["DOCKER_HOST": "unix:///podman.sock"]), of: PodmanEngineKind.self)
        #expect(podmanOnly.environment == ["DOCKER_HOST": "unix:///podman.sock"])
        var dockerOnly = FileEngines()
        dockerOnly.add(VariablesLease(["DOCKER_HOST": "unix:///docker.sock"]), of: DockerEngineKind.self)
        dockerOnly.add(EngineGuard(environment: ["DOCKER_HOST": "unix:///nowhere.sock", "CONTAINER_HOST": "unix:///nowhere.sock"]))
        #expect(dockerOnly.environment == ["DOCKER_HOST": "unix:///docker.sock", "CONTAINER_HOST": "unix:///nowhere.sock"])
    }
}
