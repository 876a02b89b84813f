import Foundation
import Testing
@testable import TranscriptKit

/// Batches: several commands sent at once, reported one by one.
@Suite struct ShellSessionBatchTests {
    private func runBatch(_ shell: ShellFixture, _ commands: [String], timeout: Duration = .seconds(20)) -> [CommandResult] {
        var results: [CommandResult] = []
        var started: [Int] = []
        shell.session.run(batch: commands, timeout: timeout, started: { started.append($0) }) { index, result in
            #expect(index == results.count)
            results.append(result)
        }
        #expect(started == Array(0..<results.count))
        return results
    }

    @Test(arguments: ["bash", "sh"])
    func outputAndStatusSplitExactly(shell name: String) throws {
        let shell = try ShellFixture(shell: name)
        let results = runBatch(shell, ["printf abc", "echo one; echo two >&2", "(exit 3)", "", "printf 'x\\ny'", "echo last"])
        #expect(results.map { String(decoding: $0.output, as: UTF8.self) } == ["abc", "one\ntwo\n", "", "", "x\ny", "last\n"])
        #expect(results.map(\.exitStatus) == [0, 0, 3, 0, 0, 0])
        #expect(shell.text("echo after") == "after\n")
    }

    @Test func exitEndsTheBatchAtItsCommand() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["echo a", "echo b; exit 4", "echo never"])
        #expect(results.count == 2)
        #expect(results[1].shellEnded && results[1].exitStatus == 4)
        #expect(results[1].output == Array("b\n".utf8))
    }

    @Test func aTimedOutCommandEndsTheBatchAtItsCommand() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["echo a", "echo b; sleep 100; echo never", "echo c"], timeout: .milliseconds(400))
        // The command alone ends; the rest of the batch runs.
        #expect(results.count == 3)
        #expect(results[0].output == Array("a\n".utf8) && !results[0].timedOut)
        #expect(results[1].timedOut && !results[1].shellEnded)
        #expect(results[1].output == Array("b\n".utf8))
        #expect(results.last?.output == Array("c\n".utf8) && results.last?.timedOut == false)
    }

    @Test func aTimeoutSparesWhatEarlierCommandsOfTheBatchLeftRunning() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["sleep 100 & echo $! > early.pid", "(sleep 100 & echo $! > orphan.pid)",
                                       "sleep 100 & echo $! > own.pid; sleep 100", "echo next"], timeout: .milliseconds(400))
        #expect(results.count == 4)
        #expect(results[2].timedOut && !results[2].shellEnded)
        #expect(isAlive(try shell.pid(in: "early.pid")))
        #expect(isAlive(try shell.pid(in: "orphan.pid")))
        #expect(!isAlive(try shell.pid(in: "own.pid")))
    }

    @Test func promptsAreAnsweredWhenTheyAppear() throws {
        let shell = try ShellFixture()
        let answers = [1: [PromptAnswer(shape: "[y/N]", answer: "y", prompt: "Go? [y/N]", line: 3),
                           PromptAnswer(shape: "(y/n)", answer: "n", prompt: "Sure? (y/n)", line: 4)]]
        var results: [CommandResult] = []
        var batch = shell.session.start(batch: ["cat; echo empty", "printf 'Go? [y/N] '; read a; printf 'Sure? (y/n) '; read b; echo \"$a$b\"; cat; echo ended",
                                                "cat; echo empty again"], timeout: .seconds(20), answers: answers)
        while let event = batch.next() {
            if case .finished(_, let result) = event { results.append(result) }
        }
        #expect(results.map { String(decoding: $0.output, as: UTF8.self) }
            == ["empty\n", "Go? [y/N] y\nSure? (y/n) n\nyn\nended\n", "empty again\n"])
        #expect(results.allSatisfy { $0.unansweredPrompts.isEmpty })
    }

    @Test func aPromptThatNeverAppearsIsReportedAfterTheTimeout() throws {
        let shell = try ShellFixture()
        let answers = [0: [PromptAnswer(shape: "[y/N]", answer: "y", prompt: "Go? [y/N]", line: 3)]]
        var results: [CommandResult] = []
        var batch = shell.session.start(batch: ["printf 'Go? [yes/no] '; read a; echo \"got $a\"", "echo next"],
                                        timeout: .milliseconds(400), answers: answers)
        while let event = batch.next() {
            if case .finished(_, let result) = event { results.append(result) }
        }
        #expect(results.count == 2)
        #expect(results.first?.timedOut == true && results.first?.shellEnded == false)
        #expect(results.first?.output == Array("Go? [yes/no] ".utf8))
        #expect(results.first?.unansweredPrompts.map(\.prompt) == ["Go? [y/N]"])
        #expect(results.last?.output == Array("next\n".utf8))
    }

    @Test func traceAndStateCarryOverWithinABatch() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["x=1; cd /", "set -x", "echo $x", "set +x", "pwd", "if then", "echo fine"])
        #expect(String(decoding: results[2].output, as: UTF8.self) == "++ echo 1\n1\n")
        #expect(String(decoding: results[3].output, as: UTF8.self) == "++ set +x\n")
        #expect(results[4].output == Array("/\n".utf8))
        #expect(results[5].exitStatus == 2)
        #expect(results[6].output == Array("fine\n".utf8))
    }

    @Test func eachCommandReadsAnEmptyInput() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["cat", "read line; echo \"[$?]\"", "echo still"])
        #expect(results[0].output.isEmpty)
        #expect(results[1].output == Array("[1]\n".utf8))
        #expect(results[2].output == Array("still\n".utf8))
    }

    @Test func redirectedOutputDoesNotTakeTheMarkers() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["echo a", "exec >log", "echo hidden", "exec >/dev/stderr", "echo b"])
        #expect(results.count == 5)
        #expect(results[2].output.isEmpty)
        #expect(results[4].output == Array("b\n".utf8))
    }

    @Test func aLongBatchKeepsStateAndLineNumbersAcrossGroups() throws {
        let shell = try ShellFixture()
        var commands = (1...150).map { "echo line-\($0)" }
        commands[99] = "cd /"
        commands[100] = "v=kept"
        commands.append("pwd; echo $v; echo $LINENO")
        commands.append("not-a-command-here")
        let results = runBatch(shell, commands)
        #expect(results.count == 152)
        #expect(results[149].output == Array("line-150\n".utf8))
        let last = String(decoding: results[150].output, as: UTF8.self).split(separator: "\n")
        #expect(last.prefix(2) == ["/", "kept"])
        // One line per command, whether it ran bare or through `eval`.
        let line = try #require(Int(last[2]))
        #expect(String(decoding: results[151].output, as: UTF8.self) == "bash: line \(line + 1): not-a-command-here: command not found\n")
        #expect(results[151].exitStatus == 127)
    }

    @Test func anAliasDefinedInABatchAppliesToTheNextCommands() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["shopt -s expand_aliases", "alias greet='echo hello'", "greet", "greet world"])
        #expect(results[2].output == Array("hello\n".utf8))
        #expect(results[3].output == Array("hello world\n".utf8))
    }

    @Test func anAliasSwitchedOnFromTheEnvironmentApplies() throws {
        let shell = try ShellFixture(environment: ["BASHOPTS": "expand_aliases"])
        let results = runBatch(shell, ["alias hi='echo hi there'", "hi"])
        #expect(results[1].output == Array("hi there\n".utf8))
    }

    @Test func bareSimpleCommands() {
        for bare in ["echo line-1", "docker rmi -f fd484f19954f", "x=5", "ls /tmp", "echo a=b c,d e:f g%h @i +j ~", "echo fi-x done2 intime"] {
            #expect(ShellScript.isBareSimpleCommand(bare), "\(bare)")
        }
        for other in ["", "  ", "if true", "fi", "echo done", "time ls", "for x", "echo 'q'", "echo $x", "a | b", "a; b", "a\nb",
                      "echo *", "f() { :; }", "echo \\", "cat <x", "a && b", "echo #c", "! true", "coproc x", "function f", "select"] {
            #expect(!ShellScript.isBareSimpleCommand(other), "\(other)")
        }
    }

    @Test func theExitStatusCarriesOverAsAtAPrompt() throws {
        let shell = try ShellFixture()
        var results = runBatch(shell, ["false", "echo $?", "(exit 7)"])
        #expect(results.map(\.exitStatus) == [1, 0, 7])
        #expect(results[1].output == Array("1\n".utf8))
        // Across batches, across a group boundary, and after a command that ran through eval.
        results = runBatch(shell, ["echo $?"] + Array(repeating: "true", count: ShellScript.groupLimit - 2) + ["echo 'x' | grep -q y", "echo \"$?\""])
        #expect(results.first?.output == Array("7\n".utf8))
        #expect(results.last?.output == Array("1\n".utf8))
        // Under set -e a failure the shell survives (here after ||) does not end it.
        results = runBatch(shell, ["set -e", "false || true", "echo alive; set +e"])
        #expect(results.last?.output == Array("alive\n".utf8))
        // After `set` every command runs in the full line; the status still carries over.
        results = runBatch(shell, ["false", "echo $?"])
        #expect(results.last?.output == Array("1\n".utf8))
    }

    @Test func anErrTrapFiresOnlyForFailures() throws {
        // Restoring `$?` would set it off again after each failure: not while a trap may be set.
        let shell = try ShellFixture()
        let results = runBatch(shell, ["trap 'echo trapped' ERR", "false", "echo next", "true"])
        #expect(String(decoding: results[1].output, as: UTF8.self).hasPrefix("trapped\n"))
        #expect(results[2].output == Array("next\n".utf8))
        #expect(results[3].output.isEmpty)
    }

    @Test func anExitTrapKeepsTheStatusCarryingOver() throws {
        let shell = try ShellFixture()
        let results = runBatch(shell, ["trap 'echo bye' EXIT", "false", "echo \"status $?\""])
        #expect(results.last?.output == Array("status 1\n".utf8))
    }
}
