import Foundation
import Glibc
import Testing
@testable import TranscriptKit

/// A fresh directory and a session running in it, both gone when the test ends.
final class ShellFixture {
    let directory: String
    let session: ShellSession

    init(shell: String = "bash", outputLimit: Int = 16 << 20, environment: [String: String] = [:]) throws {
        var template = Array((NSTemporaryDirectory() + "/shell-session-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ExecutionError("mkdtemp failed") }
        directory = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LC_ALL": "C"]
        base.merge(environment) { $1 }
        session = try ShellSession(configuration: .init(shell: shell, workingDirectory: directory, environment: base, outputLimit: outputLimit))
    }

    deinit {
        session.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func run(_ command: String, timeout: Duration? = .seconds(20)) -> CommandResult {
        session.run(command, timeout: timeout)
    }

    func text(_ command: String) -> String {
        String(decoding: run(command).output, as: UTF8.self)
    }

    /// The PID a command wrote to `name` in the directory.
    func pid(in name: String) throws -> pid_t {
        let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

/// Whether a process is still running (a zombie waiting for its parent does not count).
func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
    return state != "Z" && state != "X"
}

@Suite struct ShellSessionTests {
    @Test func stateCarriesOverBetweenCommands() throws {
        let shell = try ShellFixture()
        #expect(shell.run("mkdir sub && cd sub").exitStatus == 0)
        #expect(shell.run("x=5; greet() { echo \"hello $1\"; }").exitStatus == 0)
        #expect(shell.text("pwd") == shell.directory + "/sub\n")
        #expect(shell.text("echo $x") == "5\n")
        #expect(shell.text("greet you") == "hello you\n")
    }

    @Test func startsInWorkingDirectoryWithExactlyTheEnvironment() throws {
        let shell = try ShellFixture(environment: ["ONLY_HERE": "yes"])
        #expect(shell.text("pwd") == shell.directory + "\n")
        let names = shell.text("env").split(separator: "\n").compactMap { $0.split(separator: "=").first }.map(String.init)
        #expect(names.contains("ONLY_HERE"))
        #expect(!names.contains("HOME"))
    }

    @Test func standardOutputAndErrorKeepTheirOrder() throws {
        let shell = try ShellFixture()
        #expect(shell.text("echo a; echo b >&2; echo c") == "a\nb\nc\n")
        #expect(shell.text("for i in 1 2 3; do echo out$i; echo err$i >&2; done") == "out1\nerr1\nout2\nerr2\nout3\nerr3\n")
    }

    @Test func outputWithoutFinalNewlineIsKept() throws {
        let shell = try ShellFixture()
        #expect(shell.run("printf abc").output == Array("abc".utf8))
        #expect(shell.run("printf 'x\\ny'").output == Array("x\ny".utf8))
        #expect(shell.text("echo next") == "next\n")
    }

    @Test(arguments: [
        ("true", Int32(0)),
        ("false", 1),
        ("(exit 42)", 42),
        ("sh -c 'kill -9 $$'", 137),
        ("sh -c 'kill -TERM $$'", 143),
        ("no-such-command-here", 127),
    ])
    func exitStatus(command: String, status: Int32) throws {
        let shell = try ShellFixture()
        let result = shell.run(command)
        #expect(result.exitStatus == status)
        #expect(!result.shellEnded)
        #expect(!result.timedOut)
    }

    @Test func standardInputIsEmpty() throws {
        let shell = try ShellFixture()
        let cat = shell.run("cat", timeout: .seconds(5))
        #expect(!cat.timedOut)
        #expect(cat.output.isEmpty)
        #expect(cat.exitStatus == 0)
        // A command that reads must not swallow the commands sent after it.
        #expect(shell.text("read line; echo \"[$?]\"") == "[1]\n")
        #expect(shell.text("echo still here") == "still here\n")
    }

    @Test func syntaxErrorDoesNotEndTheSession() throws {
        let shell = try ShellFixture()
        let bad = shell.run("if then")
        #expect(bad.exitStatus == 2)
        #expect(!bad.shellEnded)
        #expect(!bad.output.isEmpty)
        #expect(shell.run("echo 'unterminated").exitStatus == 2)
        #expect(shell.text("echo fine") == "fine\n")
    }

    @Test func quotesAndMultiLineCommandsPassThrough() throws {
        let shell = try ShellFixture()
        #expect(shell.text(#"echo "it's" 'a "b"' \$HOME"#) == "it's a \"b\" $HOME\n")
        #expect(shell.text("cat <<'EOF'\none 'two'\n$three\nEOF") == "one 'two'\n$three\n")
        #expect(shell.text("echo one \\\n  two") == "one two\n")
        #expect(shell.run("").exitStatus == 0)
    }

    @Test func aPOSIXShellSpeaksTheSameProtocol() throws {
        let shell = try ShellFixture(shell: "sh")
        #expect(shell.run("cd / && x=1").exitStatus == 0)
        #expect(shell.text("echo $x; pwd") == "1\n/\n")
        #expect(shell.run("printf abc").output == Array("abc".utf8))
        #expect(shell.run("if then").exitStatus == 2)
        #expect(shell.text("echo a; echo b >&2; echo c") == "a\nb\nc\n")
        #expect(shell.run("(exit 42)").exitStatus == 42)
        shell.session.export("V", value: "it's $x")
        #expect(shell.text("echo \"$V\"") == "it's $x\n")
        let ended = shell.run("exit 4")
        #expect(ended.shellEnded && ended.exitStatus == 4)
    }

    @Test func longCommandTextIsFedWhileTheShellReadsIt() throws {
        let shell = try ShellFixture()
        // Far more than a pipe holds: the rest is written as the shell takes it.
        let line = String(repeating: "x", count: 99) + "\n"
        let body = String(repeating: line, count: 3000)
        let result = shell.run("wc -c <<'EOF'\n\(body)EOF")
        #expect(String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "300000")
        #expect(shell.text("echo next") == "next\n")
    }

    @Test func exitEndsTheSession() throws {
        let shell = try ShellFixture()
        let result = shell.run("echo bye; exit 3")
        #expect(result.shellEnded)
        #expect(result.exitStatus == 3)
        #expect(result.output == Array("bye\n".utf8))
        let later = shell.run("echo never")
        #expect(later.shellEnded)
        #expect(later.exitStatus == 3)
        #expect(later.output.isEmpty)
    }

    @Test func timeoutKillsTheCommandAndWhatItStarted() throws {
        let shell = try ShellFixture()
        let result = shell.run(
            "sleep 100 & echo $! > background.pid; echo before; sh -c 'echo $$ > child.pid; sleep 100; echo not-reached'",
            timeout: .milliseconds(500)
        )
        #expect(result.timedOut)
        #expect(!result.shellEnded)
        // What it printed before its time was up; not the shell's note that its program was killed.
        #expect(result.output == Array("before\n".utf8))
        #expect(result.duration < .seconds(5))
        let child = try shell.pid(in: "child.pid")
        let background = try shell.pid(in: "background.pid")
        #expect(!isAlive(child))
        #expect(!isAlive(background))
        #expect(shell.run("echo next").output == Array("next\n".utf8))
    }

    @Test func timeoutKeepsTheShellsState() throws {
        let shell = try ShellFixture()
        _ = shell.run("cd /; x=kept; f() { echo \"f $1\"; }; sleep 100 & echo $! > \"$OLDPWD/earlier.pid\"")
        let result = shell.run("x=changed-before; sleep 100; x=never", timeout: .milliseconds(300))
        #expect(result.timedOut && !result.shellEnded)
        #expect(shell.text("pwd; echo $x; f works") == "/\nchanged-before\nf works\n")
        // What earlier commands left running is not the timed-out command's.
        #expect(isAlive(try shell.pid(in: "earlier.pid")))
    }

    @Test func timeoutInABuiltinLoopEndsTheLoopNotTheShell() throws {
        let shell = try ShellFixture()
        let result = shell.run("echo spinning; while :; do :; done", timeout: .milliseconds(300))
        #expect(result.timedOut)
        #expect(!result.shellEnded)
        #expect(result.output == Array("spinning\n".utf8))
        #expect(result.duration < .seconds(5))
        #expect(shell.text("echo next") == "next\n")
    }

    @Test func timeoutInAnotherShellEndsTheShell() throws {
        let shell = try ShellFixture(shell: "sh")
        let result = shell.run("echo spinning; sleep 100", timeout: .milliseconds(300))
        #expect(result.timedOut)
        #expect(result.shellEnded)
        #expect(result.output == Array("spinning\n".utf8))
        #expect(shell.run("echo never").shellEnded)
    }

    @Test func timeoutStopsTheRestOfTheCommand() throws {
        let shell = try ShellFixture()
        let result = shell.run("echo started; for i in 1 2 3 4 5; do sleep 100; done; echo after > after.txt", timeout: .milliseconds(300))
        #expect(result.timedOut)
        #expect(result.duration < .seconds(5))
        // Nothing of the command runs on after its time is up: no "after".
        #expect(!result.shellEnded)
        #expect(result.output == Array("started\n".utf8))
        #expect(shell.text("ls") == "")
    }

    @Test func backgroundProcessDoesNotHoldAnything() throws {
        let shell = try ShellFixture()
        let clock = ContinuousClock()
        let result = shell.run("sleep 1000 & echo $! > sleeper.pid; echo started")
        #expect(result.output == Array("started\n".utf8))
        #expect(result.duration < .seconds(2))
        let sleeper = try shell.pid(in: "sleeper.pid")
        #expect(isAlive(sleeper))
        #expect(shell.text("echo after") == "after\n")
        let start = clock.now
        shell.session.terminate()
        #expect(clock.now - start < .seconds(2))
        #expect(!isAlive(sleeper))
        shell.session.terminate()
        #expect(shell.run("echo never").shellEnded)
    }

    @Test func daemonThatLeftTheSessionIsKilledWithItsParent() throws {
        let shell = try ShellFixture()
        // A background job is no group leader, so setsid(1) does not fork: the daemon is in its
        // own session but still the shell's child.
        let result = shell.run("setsid sh -c 'echo $$ > daemon.pid; exec sleep 1000' & sleep 0.2")
        #expect(result.exitStatus == 0)
        let daemon = try shell.pid(in: "daemon.pid")
        #expect(isAlive(daemon))
        shell.session.terminate()
        #expect(!isAlive(daemon))
    }

    @Test func exitTrapRunsWhenTheSessionEnds() throws {
        let shell = try ShellFixture()
        #expect(shell.run("trap 'echo cleaned > trap.out' EXIT").exitStatus == 0)
        shell.session.terminate()
        let written = try String(contentsOfFile: shell.directory + "/trap.out", encoding: .utf8)
        #expect(written == "cleaned\n")
    }

    @Test func thousandCommandsInOneSession() throws {
        let shell = try ShellFixture()
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<1000 {
            let result = shell.run("echo \(index)")
            #expect(result.output == Array("\(index)\n".utf8))
        }
        let elapsed = clock.now - start
        let builtins = clock.now
        for _ in 0..<1000 { _ = shell.run(":") }
        let empty = clock.now - builtins
        print("1000 × echo: \(elapsed), \(elapsed / 1000) per command; 1000 × ':': \(empty / 1000) per command")
    }

    @Test func largeOutputIsCutAtTheLimit() throws {
        let shell = try ShellFixture()
        let result = shell.run("head -c 100000000 /dev/zero; echo end", timeout: .seconds(60))
        let limit = 16 << 20
        #expect(result.exitStatus == 0)
        #expect(result.output.count == limit)
        #expect(result.cutBytes == 100_000_004 - limit)
        #expect(result.cutOffset == limit - OutputBuffer.maximumTail)
        #expect(result.output.suffix(4) == Array("end\n".utf8)[...])
        print("100 MB of output: \(result.duration)")
    }

    @Test func smallLimitKeepsHeadAndTail() throws {
        let shell = try ShellFixture(outputLimit: 1000)
        let result = shell.run("seq 1 100000")
        let full = Array((1...100_000).map { "\($0)\n" }.joined().utf8)
        #expect(result.output.count == 1000)
        #expect(result.cutBytes == full.count - 1000)
        #expect(result.cutOffset == 500)
        #expect(result.output[..<500] == full[..<500])
        #expect(result.output[500...] == full[(full.count - 500)...])
        let short = shell.run("echo short")
        #expect(short.output == Array("short\n".utf8))
        #expect(short.cutBytes == 0)
    }

    @Test(arguments: ["plain", "it's \"quoted\"", "two\nlines", "$HOME $(echo no) `echo no` \\", "", "trailing\n"])
    func exportSetsAVariable(value: String) throws {
        let shell = try ShellFixture()
        shell.session.export("CAPTURED", value: value)
        let result = shell.run("printf '%s' \"$CAPTURED\"; sh -c 'printf %s \"$CAPTURED\"'")
        #expect(String(decoding: result.output, as: UTF8.self) == value + value)
        #expect(result.exitStatus == 0)
    }

    @Test func exportPrintsNothingEvenUnderXtrace() throws {
        let shell = try ShellFixture()
        shell.session.export("FIRST", value: "1")
        #expect(shell.text("set -x") == "")
        shell.session.export("SECOND", value: "2")
        shell.session.export("not a name", value: "ignored")
        // Inside eval, bash traces one level deeper than at a prompt.
        #expect(shell.text("echo $FIRST$SECOND") == "++ echo 12\n12\n")
        #expect(shell.text("set +x") == "++ set +x\n")
        #expect(shell.text("echo quiet") == "quiet\n")
    }

    @Test func shellOptionsOfTheUserDoNotBreakTheProtocol() throws {
        let shell = try ShellFixture()
        #expect(shell.run("set -u").exitStatus == 0)
        #expect(shell.text("echo still") == "still\n")
        #expect(shell.run("printf() { echo fake; }; set -o pipefail").exitStatus == 0)
        #expect(shell.run("false | true").exitStatus == 1)
        #expect(shell.run("set -e").exitStatus == 0)
        let failed = shell.run("false")
        #expect(failed.shellEnded)
        #expect(failed.exitStatus == 1)
    }

    @Test func shellSeesOnlyItsOwnDescriptors() throws {
        // Two sessions at once: neither shell may hold the other's pipes.
        let first = try ShellFixture()
        let second = try ShellFixture()
        for shell in [first, second] {
            // What a command inherits: its standard descriptors and nothing else.
            let descriptors = shell.text("sh -c 'ls /proc/$$/fd'").split(separator: "\n").map(String.init)
            #expect(Set(descriptors) == ["0", "1", "2"], "\(descriptors)")
        }
    }

    @Test func liveOutputIsReported() throws {
        let shell = try ShellFixture()
        var seen: [UInt8] = []
        let result = shell.session.run("echo one; sleep 0.05; echo two", timeout: .seconds(10)) { bytes in
            seen.append(contentsOf: bytes)
        }
        #expect(seen == result.output)
        #expect(seen == Array("one\ntwo\n".utf8))
    }

    @Test func missingShellIsAnError() {
        #expect(throws: ExecutionError.self) {
            _ = try ShellSession(configuration: .init(shell: "no-such-shell-anywhere", workingDirectory: "/", environment: [:]))
        }
        #expect(throws: ExecutionError.self) {
            _ = try ShellSession(configuration: .init(workingDirectory: "/no/such/directory", environment: ["PATH": "/usr/bin:/bin"]))
        }
    }

    @Test func manySessionsInParallel() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    let shell = try ShellFixture()
                    _ = shell.run("n=\(worker)")
                    for index in 0..<100 {
                        let result = shell.run("echo $n-\(index); echo err >&2")
                        #expect(String(decoding: result.output, as: UTF8.self) == "\(worker)-\(index)\nerr\n")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// A file of the host covered for one shell (the host's Docker socket, in use).
@Suite struct ShellMaskTests {
    @Test func aMaskedPathShowsItsReplacementToTheShellOnly() throws {
        try #require(geteuid() == 0, "masks need root")
        let fixture = try ShellFixture()
        // A unix socket standing for the host's Docker socket.
        let socketPath = fixture.directory + "/host.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        var configuration = ShellSession.Configuration(workingDirectory: fixture.directory, environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"])
        configuration.masks = [socketPath: "/dev/null"]
        let masked = try ShellSession(configuration: configuration)
        defer { masked.terminate() }
        let result = masked.run("[ -c host.sock ] && echo covered; [ -S host.sock ] || echo 'not the socket'; echo \"$0\"", timeout: .seconds(20))
        #expect(String(decoding: result.output, as: UTF8.self) == "covered\nnot the socket\nbash\n")
        // Outside that shell, the socket is untouched.
        #expect(fixture.text("[ -S host.sock ] && echo socket") == "socket\n")
        #expect(masked.run("cd /tmp; x=1", timeout: .seconds(5)).exitStatus == 0)
        #expect(String(decoding: masked.run("pwd; echo $x", timeout: .seconds(5)).output, as: UTF8.self) == "/tmp\n1\n")
    }
}
