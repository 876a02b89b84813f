import Foundation
import Glibc
import Testing
@testable import TranscriptKit

/// The cgroup helper: finding the unified hierarchy, owners in names, and (where this machine has
/// a writable cgroup v2) making, filling, killing, removing and sweeping cgroups.
@Suite struct ControlGroupTests {
    static let hybridMounts = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    @Test func findsTheUnifiedHierarchyOfAHybridMachine() {
        let membership = "8:pids:/\n0::/\n"
        #expect(ProcessContainment.unifiedDirectory(mountinfo: Self.hybridMounts, cgroup: membership) == "/sys/fs/cgroup/unified")
        #expect(ProcessContainment.unifiedDirectory(mountinfo: Self.hybridMounts, cgroup: "0::/user.slice/a.scope\n")
            == "/sys/fs/cgroup/unified/user.slice/a.scope")
    }

    @Test func findsTheOwnCgroupOnAPureV2MachineAndInANamespace() {
        let pure = "30 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
        #expect(ProcessContainment.unifiedDirectory(mountinfo: pure, cgroup: "0::/system.slice/x.service\n")
            == "/sys/fs/cgroup/system.slice/x.service")
        // A mount of a subtree (a container's view): the path is relative to the mount's root.
        let sub = "30 22 0:26 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
        #expect(ProcessContainment.unifiedDirectory(mountinfo: sub, cgroup: "0::/docker/abc/inner\n") == "/sys/fs/cgroup/inner")
        #expect(ProcessContainment.unifiedDirectory(mountinfo: sub, cgroup: "0::/elsewhere\n") == nil)
        let spaced = "30 22 0:26 / /mnt/cgroup\\040two rw - cgroup2 cgroup2 rw\n"
        #expect(ProcessContainment.unifiedDirectory(mountinfo: spaced, cgroup: "0::/\n") == "/mnt/cgroup two")
    }

    @Test func noUnifiedHierarchyWithoutACgroup2MountOrAV2Line() {
        let v1Only = "39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
        #expect(ProcessContainment.unifiedDirectory(mountinfo: v1Only, cgroup: "0::/\n") == nil)
        #expect(ProcessContainment.unifiedDirectory(mountinfo: Self.hybridMounts, cgroup: "8:pids:/\n") == nil)
    }

    @Test func ownersInNames() {
        #expect(HarnessOwner.owner(of: "transcript-123.456-7", prefix: "transcript-") == "123.456")
        #expect(HarnessOwner.owner(of: "transcript-123.456-AbCdEf", prefix: "transcript-") == "123.456")
        for other in ["transcript-AbCdEf", "transcript-engines", "transcript-shell-AbCdEf", "transcript-bench-x",
                      "transcript-12-x", "transcript-.5-x", "other-1.2-x", "transcript-1.2.3-x"] {
            #expect(HarnessOwner.owner(of: other, prefix: "transcript-") == nil, "\(other)")
        }
    }

    @Test func aHarnessIsGoneOnceItsProcessIsGoneOrReplaced() throws {
        #expect(!HarnessOwner.isGone(HarnessOwner.current))
        let pid = getpid()
        #expect(HarnessOwner.isGone("\(pid).\(try #require(ProcessTree.read(pid)).startTime + 1)"))
        #expect(HarnessOwner.isGone("\(try Self.endedPID()).0"))
        #expect(!HarnessOwner.isGone("not-an-owner"))
    }

    @Test func populatedFromEvents() {
        #expect(ControlGroup.eventsSayPopulated("populated 1\nfrozen 0\n"))
        #expect(!ControlGroup.eventsSayPopulated("populated 0\nfrozen 0\n"))
    }

    @Test func killEndsEveryProcessInTheGroupAndRemoveTakesItAway() throws {
        guard case .controlGroups(let parent) = ProcessContainment.mode else { return }
        let group = try #require(ProcessContainment.makeGroup())
        #expect(group.path.hasPrefix(parent + "/transcript-" + HarnessOwner.current + "-"))
        let sleeper = try Self.spawnSleep()
        #expect(group.add(sleeper.processIdentifier))
        #expect(group.isPopulated)
        #expect(group.kill())
        sleeper.waitUntilExit()
        #expect(sleeper.terminationReason == .uncaughtSignal)
        #expect(group.remove())
        #expect(access(group.path, F_OK) != 0)
    }

    @Test func aSweepRemovesTheGroupsOfHarnessesThatAreGone() throws {
        guard case .controlGroups(let parent) = ProcessContainment.mode else { return }
        let owner = "\(try Self.endedPID()).0"
        let stale = try #require(ControlGroup.make(under: parent, owner: owner, number: 1))
        let sleeper = try Self.spawnSleep()
        #expect(stale.add(sleeper.processIdentifier))
        let living = try #require(ProcessContainment.makeGroup())
        defer { living.remove() }
        #expect(ControlGroup.sweep(parent) >= 1)
        sleeper.waitUntilExit()
        #expect(access(stale.path, F_OK) != 0)
        #expect(access(living.path, F_OK) == 0)
    }

    @Test func aShellRunsInItsGroupAndItsDaemonsEndWithIt() throws {
        guard case .controlGroups = ProcessContainment.mode else { return }
        let shell = try ShellFixture()
        #expect(shell.text("cat /proc/self/cgroup").contains("0::/") && shell.text("cat /proc/self/cgroup").contains("/transcript-"))
        _ = shell.run("setsid -f sh -c 'echo $$ > daemon.pid; exec sleep 300'; sleep 0.1")
        let daemon = try shell.pid(in: "daemon.pid")
        let group = try #require(shell.session.group)
        shell.session.terminate()
        #expect(!isAlive(daemon))
        // Its directory goes in the background, always before the harness exits.
        BackgroundTeardown.drain()
        #expect(access(group.path, F_OK) != 0)
    }

    @Test func aSweepRemovesOnlyTheDirectoriesOfHarnessesThatAreGone() throws {
        var template = Array((NSTemporaryDirectory() + "/sweep-XXXXXX").utf8CString)
        let base = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: base) }
        let stale = base + "/transcript-\(try Self.endedPID()).0-AbCdEf"
        let living = TemporaryDirectories.template(base: base, kept: false).replacingOccurrences(of: "XXXXXX", with: "GhIjKl")
        let kept = TemporaryDirectories.template(base: base, kept: true).replacingOccurrences(of: "XXXXXX", with: "MnOpQr")
        #expect(kept == base + "/transcript-MnOpQr")
        for path in [stale, living, kept] { try FileManager.default.createDirectory(atPath: path + "/inner", withIntermediateDirectories: true) }
        #expect(TemporaryDirectories.sweep(base) == [stale])
        #expect(access(stale, F_OK) != 0 && access(living, F_OK) == 0 && access(kept, F_OK) == 0)
        #expect(TemporaryDirectories.sweep(base).isEmpty)
    }

    /// A PID no process has any more.
    static func endedPID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    static func spawnSleep() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["300"]
        try process.run()
        return process
    }
}
