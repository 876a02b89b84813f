import Foundation
import Glibc
import Testing
@testable import TranscriptKit

/// The shell's start with clone3: born in its cgroup, its mounts made by the child, and what a
/// failure in the child says.
@Suite struct DirectSpawnTests {
    /// Runs `arguments` directly with its output (1 and 2) into a pipe; returns the outcome and
    /// what it wrote. `cgroupFD` replaces the group's descriptor.
    static func output(_ arguments: [String], group: ControlGroup?, cgroupFD: Int32? = nil, masks: [(target: String, source: String)] = [],
                       covered: [CoveredDirectory] = [], newPIDNamespace: Bool = false) throws -> (DirectSpawn.Outcome, String) {
        let ends = try #require(GlibcExtensions.makePipe())
        let write = GlibcExtensions.aboveMarkerDescriptor(ends.write)
        let cgroup = group?.openDirectory() ?? -1
        defer { if cgroup >= 0 { close(cgroup) } }
        let request = DirectSpawn.Request(
            program: arguments[0], arguments: arguments, environment: ["PATH=/usr/bin:/bin", "LC_ALL=C"],
            directory: "/", cgroup: cgroupFD ?? cgroup,
            ends: [ChannelEnd(target: 0, source: .path("/dev/null", flags: O_RDONLY)),
                   ChannelEnd(target: 1, source: .descriptor(write)), ChannelEnd(target: 2, source: .descriptor(write))],
            closeFrom: 3, masks: masks, covered: covered, newPIDNamespace: newPIDNamespace)
        let outcome = DirectSpawn.start(request)
        close(write)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(ends.read, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(ends.read)
        if case .started(let pid) = outcome {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        return (outcome, String(decoding: bytes, as: UTF8.self))
    }

    @Test func theProgramIsInItsGroupFromItsFirstInstruction() throws {
        guard case .controlGroups = ProcessContainment.mode, DirectSpawn.isUsable else { return }
        let group = try #require(ProcessContainment.makeGroup())
        defer { group.remove() }
        // Nobody moves it: cat reads its own membership as it starts.
        let (outcome, text) = try Self.output(["/bin/cat", "/proc/self/cgroup"], group: group)
        guard case .started = outcome else { Issue.record("not started: \(outcome)"); return }
        let name = String(group.path.split(separator: "/").last ?? "")
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("0::") && $0.hasSuffix("/" + name) }, "\(text)")
    }

    @Test func signalsAreAtTheirDefaultsAndOnlyTheGivenDescriptorsOpen() throws {
        guard case .controlGroups = ProcessContainment.mode, DirectSpawn.isUsable else { return }
        let group = try #require(ProcessContainment.makeGroup())
        defer { group.remove() }
        _ = GlibcExtensions.ignoreBrokenPipe  // the harness ignores SIGPIPE: the child must not
        let (_, status) = try Self.output(["/bin/grep", "-E", "^(SigBlk|SigIgn)", "/proc/self/status"], group: group)
        #expect(status == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n")
        let (_, descriptors) = try Self.output(["/bin/ls", "/proc/self/fd"], group: group)
        // 0-2 as given, and ls's own descriptor of the directory.
        #expect(descriptors.split(separator: "\n").count == 4, "\(descriptors)")
        let (_, session) = try Self.output(["/bin/sh", "-c", "cut -d' ' -f6 /proc/$$/stat; echo $$"], group: group)
        let numbers = session.split(whereSeparator: \.isWhitespace)
        #expect(numbers.count == 2 && numbers[0] == numbers[1], "a session of its own: \(session)")
    }

    @Test func aCoveredDirectoryIsEmptyButForWhatItKeepsAndMasksShow() throws {
        guard case .controlGroups = ProcessContainment.mode, DirectSpawn.isUsable, MountIsolation.isPossible else { return }
        let fixture = try ShellFixture()
        let root = fixture.directory + "/root"
        for name in ["own/deep", "other"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: root + "/own/deep/file", contents: Data("mine\n".utf8))
        FileManager.default.createFile(atPath: fixture.directory + "/secret", contents: Data("secret\n".utf8))
        let group = try #require(ProcessContainment.makeGroup())
        defer { group.remove() }
        let script = "cd \(fixture.directory); ls root; ls root/own; cat root/own/deep/file; wc -c < secret"
        let (outcome, text) = try Self.output(["/bin/sh", "-c", script], group: group,
                                             masks: [(target: fixture.directory + "/secret", source: "/dev/null")],
                                             covered: [CoveredDirectory(path: root, kept: [root + "/own/deep"])])
        guard case .started = outcome else { Issue.record("not started: \(outcome)"); return }
        #expect(text == "own\ndeep\nmine\n0\n")
        #expect(fixture.text("ls root; cat secret") == "other\nown\nsecret\n")
    }

    @Test func inItsOwnPIDNamespaceItSeesOnlyItselfAndCannotUndoItsMounts() throws {
        guard DirectSpawn.isUsable, MountIsolation.isPossible else { return }
        let fixture = try ShellFixture()
        let root = fixture.directory + "/root"
        for name in ["own", "other"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        }
        // Its PID, what /proc shows (the shell alone: the glob is its own), and whether it can
        // take away the cover, its /proc, or look under them through a plain bind of `/`.
        let script = "echo $$ /proc/[0-9]*; ls \(root); umount \(root) 2>/dev/null || umount -l /proc 2>/dev/null"
            + " || mount --bind / /mnt 2>/dev/null || echo locked; ls \(root); echo /proc/[0-9]*"
        let (outcome, text) = try Self.output(["/bin/bash", "-c", script], group: nil,
                                             covered: [CoveredDirectory(path: root, kept: [root + "/own"])], newPIDNamespace: true)
        guard case .started = outcome else { Issue.record("not started: \(outcome)"); return }
        #expect(text == "1 /proc/1\nown\nlocked\nown\n/proc/1\n")
        #expect(fixture.text("ls root") == "other\nown\n")
    }

    @Test func aFailingMountIsReportedAndNothingRuns() throws {
        guard case .controlGroups = ProcessContainment.mode, DirectSpawn.isUsable, MountIsolation.isPossible else { return }
        let group = try #require(ProcessContainment.makeGroup())
        defer { group.remove() }
        let (outcome, text) = try Self.output(["/bin/echo", "ran"], group: group,
                                             covered: [CoveredDirectory(path: "/tmp", kept: ["/tmp/no-such-kept-directory"])])
        guard case .failed(let error) = outcome else { Issue.record("not a failure: \(outcome)"); return }
        #expect(error.exitStatus == 125)
        #expect(error.message == "cannot start /bin/echo with paths covered: cannot open /tmp/no-such-kept-directory, kept under /tmp: No such file or directory")
        #expect(text == "")
    }

    @Test func aDescriptorThatIsNoCgroupIsRefusedWithNothingStarted() throws {
        guard case .controlGroups = ProcessContainment.mode, DirectSpawn.isUsable else { return }
        let file = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(file) }
        let (outcome, text) = try Self.output(["/bin/echo", "ran"], group: nil, cgroupFD: file)
        guard case .refused(let code) = outcome else { Issue.record("not refused: \(outcome)"); return }
        // Refused for this descriptor, not for want of clone3: posix_spawn takes this start over,
        // and clone3 stays in use.
        #expect(code == EBADF)
        #expect(text == "")
        #expect(DirectSpawn.isUsable)
    }

    @Test func aSessionReportsAFailingMountAsTheShellsEnd() throws {
        try #require(MountIsolation.isPossible, "mount namespaces need root")
        let fixture = try ShellFixture()
        var configuration = ShellSession.Configuration(workingDirectory: fixture.directory, environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"])
        configuration.covered = [CoveredDirectory(path: fixture.directory + "/root", kept: [fixture.directory + "/root/missing"])]
        let shell = try ShellSession(configuration: configuration)
        defer { shell.terminate() }
        let result = shell.run("echo ran", timeout: .seconds(20))
        // Started directly or through the mount script, the same end: 125 and the path named.
        #expect(result.exitStatus == 125)
        #expect(result.shellEnded)
        let text = String(decoding: result.output, as: UTF8.self)
        #expect(text.contains(fixture.directory + "/root/missing") && !text.contains("ran"), "\(text)")
    }
}
