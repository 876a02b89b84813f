import Foundation
import Glibc
import Testing
@testable import TranscriptKit

/// A kind of channel the contract is checked for, made fresh for each session.
struct ChannelUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () -> any Channel

    var testDescription: String { name }

    /// Every channel there is: each must pass every check below.
    static let all: [ChannelUnderTest] = [
        ChannelUnderTest(name: "pipe") { PipeChannel() },
        ChannelUnderTest(name: "pipe opened by path") { PipeOpenedByPath() },
    ]
}

/// The pipe channel with the shell's ends given as paths (`/proc/PID/fd/N`), opened in the shell
/// as it starts: a second channel for the contract, and the kind of end a background command or
/// a terminal gets.
final class PipeOpenedByPath: Channel {
    let pipe = PipeChannel()

    func open() throws(ExecutionError) -> [ChannelEnd] {
        try pipe.open().map { end in
            guard case .descriptor(let fd) = end.source else { return end }
            return ChannelEnd(target: end.target, source: .path("/proc/\(getpid())/fd/\(fd)", flags: O_WRONLY))
        }
    }

    func shellStarted() { pipe.shellStarted() }
    var framing: ChannelFraming { pipe.framing }
    var commandInput: CommandInput { pipe.commandInput }
    var outputDescriptor: Int32 { pipe.outputDescriptor }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ChannelRead { pipe.read(into: buffer) }
    func pendingByteCount() -> Int? { pipe.pendingByteCount() }
    func close() { pipe.close() }
}

/// A fresh directory and a session in it whose commands' output travels through `channel`.
final class ChannelFixture {
    let directory: String
    let session: ShellSession

    init(_ channel: ChannelUnderTest, shell: String = "bash", outputLimit: Int = 16 << 20) throws {
        var template = Array((NSTemporaryDirectory() + "/channel-contract-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ExecutionError("mkdtemp failed") }
        directory = String(cString: made)
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C"]
        let configuration = ShellSession.Configuration(shell: shell, workingDirectory: directory, environment: environment,
                                                       outputLimit: outputLimit)
        session = try ShellSession(configuration: configuration, channel: channel.make())
    }

    deinit {
        session.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func run(_ command: String, timeout: Duration? = .seconds(20)) -> CommandResult {
        session.run(command, timeout: timeout)
    }

    /// Runs `commands` as one pulled batch; every command must start, then finish, in order.
    func runBatch(_ commands: [String], timeout: Duration? = .seconds(20)) -> [CommandResult] {
        var batch = session.start(batch: commands, timeout: timeout)
        var results: [CommandResult] = []
        var running: Int?
        while let event = batch.next() {
            switch event {
            case .started(let index):
                #expect(running == nil && index == results.count)
                running = index
            case .finished(let index, let result):
                #expect(running == index)
                running = nil
                results.append(result)
            }
        }
        return results
    }
}

/// What every `Channel` must do, checked through a `ShellSession` (bash and a POSIX sh).
@Suite struct ChannelContractTests {
    static let shells = ["bash", "sh"]

    @Test(arguments: ChannelUnderTest.all, shells)
    func outputBytesAreExact(channel: ChannelUnderTest, shell: String) throws {
        let fixture = try ChannelFixture(channel, shell: shell)
        #expect(fixture.run("printf 'no newline'").output == Array("no newline".utf8))
        #expect(fixture.run("printf 'two\\n\\nlines\\n\\n'").output == Array("two\n\nlines\n\n".utf8))
        #expect(fixture.run("true").output.isEmpty)
        // Every byte value, NUL and 036 (the markers' first byte) included.
        let all = fixture.run("printf \"$(printf '\\\\%03o' $(seq 0 255))\"")
        #expect(all.output == (0...255).map { UInt8($0) })
    }

    @Test(arguments: ChannelUnderTest.all, shells)
    func standardOutputAndErrorKeepTheirOrder(channel: ChannelUnderTest, shell: String) throws {
        let fixture = try ChannelFixture(channel, shell: shell)
        let result = fixture.run("echo 1; echo 2 >&2; echo 3; echo 4 >&2")
        #expect(result.output == Array("1\n2\n3\n4\n".utf8))
    }

    @Test(arguments: ChannelUnderTest.all, shells)
    func exitStatuses(channel: ChannelUnderTest, shell: String) throws {
        let fixture = try ChannelFixture(channel, shell: shell)
        let commands = ["true", "false", "(exit 7)", "sh -c 'exit 255'", "sh -c 'kill -TERM $$'", "no-such-command-here 2>/dev/null"]
        let results = fixture.runBatch(commands)
        #expect(results.map(\.exitStatus) == [0, 1, 7, 255, 128 + SIGTERM, 127])
        #expect(results.allSatisfy { !$0.shellEnded && !$0.timedOut })
    }

    @Test(arguments: ChannelUnderTest.all)
    func markerLikeBytesAreOutput(channel: ChannelUnderTest) throws {
        let fixture = try ChannelFixture(channel)
        let salt = fixture.session.salt
        let commands = [
            "printf '\\036'",
            "printf '\\036x 1 0\\n'",
            "printf '\\036\(salt)'",
            "printf '\\036\(salt) 1'; sleep 0.05; printf ' nine\\n'",
            "printf '\\036\(salt) 99999999999999999999 0\\n'",
            "echo after",
        ]
        let results = fixture.runBatch(commands)
        #expect(results.map { String(decoding: $0.output, as: UTF8.self) } == [
            "\u{1E}", "\u{1E}x 1 0\n", "\u{1E}\(salt)", "\u{1E}\(salt) 1 nine\n",
            "\u{1E}\(salt) 99999999999999999999 0\n", "after\n",
        ])
        #expect(results.map(\.exitStatus) == [0, 0, 0, 0, 0, 0])
    }

    @Test(arguments: ChannelUnderTest.all)
    func largeOutputIsCutAndCounted(channel: ChannelUnderTest) throws {
        let fixture = try ChannelFixture(channel, outputLimit: 1000)
        let result = fixture.run("head -c 3000000 /dev/zero; echo end")
        #expect(result.exitStatus == 0)
        #expect(result.output.count == 1000)
        #expect(result.cutBytes == 3_000_004 - 1000)
        #expect(result.cutOffset == 500)
        #expect(result.output.suffix(4) == Array("end\n".utf8)[...])
        #expect(fixture.run("echo next").output == Array("next\n".utf8))
    }

    @Test(arguments: ChannelUnderTest.all)
    func aTimeoutKillsTheCommand(channel: ChannelUnderTest) throws {
        let fixture = try ChannelFixture(channel)
        let results = fixture.runBatch(["echo first", "echo before; sleep 100; echo not-reached", "echo never"],
                                       timeout: .milliseconds(300))
        // The command alone ends: the shell goes on with the rest of the batch.
        #expect(results.count == 3)
        let timedOut = try #require(results.count == 3 ? results[1] : nil)
        #expect(timedOut.timedOut && !timedOut.shellEnded)
        #expect(timedOut.output == Array("before\n".utf8))
        #expect(timedOut.duration < .seconds(5))
        #expect(results.last?.output == Array("never\n".utf8))
        #expect(fixture.run("echo later").output == Array("later\n".utf8))
    }

    @Test(arguments: ChannelUnderTest.all, shells)
    func standardInputIsEmpty(channel: ChannelUnderTest, shell: String) throws {
        let fixture = try ChannelFixture(channel, shell: shell)
        let results = fixture.runBatch(["cat", "read line; echo $?", "wc -c"])
        #expect(results.map(\.output) == [[], Array("1\n".utf8), Array("0\n".utf8)])
    }

    @Test(arguments: ChannelUnderTest.all)
    func theShellEndingEndsTheBatch(channel: ChannelUnderTest) throws {
        let fixture = try ChannelFixture(channel)
        let results = fixture.runBatch(["echo one", "printf bye; exit 3", "echo never"])
        #expect(results.count == 2)
        #expect(results.last?.shellEnded == true)
        #expect(results.last?.exitStatus == 3)
        #expect(results.last?.output == Array("bye".utf8))
    }

    @Test(arguments: ChannelUnderTest.all)
    func theChannelHoldsNothingOnceClosed(channel: ChannelUnderTest) throws {
        let made = channel.make()
        let ends = try made.open()
        #expect(!ends.contains { $0.target == 0 }, "the shell's standard input is its script")
        #expect(made.outputDescriptor > ShellScript.markerDescriptor)
        made.shellStarted()
        made.close()
        made.close()
        #expect(made.outputDescriptor == -1)
        #expect(made.read(into: UnsafeMutableRawBufferPointer(start: nil, count: 0)) == .ended)
    }
}
