import Foundation
import Testing
@testable import TranscriptKit

/// The pulled batch: events in order, and the session free between them.
@Suite struct ShellBatchTests {
    @Test func eachCommandStartsThenFinishesInOrder() throws {
        let shell = try ShellFixture()
        var batch = shell.session.start(batch: ["echo a", "echo b", "echo c"], timeout: .seconds(20))
        var events: [String] = []
        while let event = batch.next() {
            switch event {
            case .started(let index): events.append("started \(index)")
            case .finished(let index, let result): events.append("finished \(index) \(String(decoding: result.output, as: UTF8.self))")
            }
        }
        #expect(events == ["started 0", "finished 0 a\n", "started 1", "finished 1 b\n", "started 2", "finished 2 c\n"])
        #expect(batch.next() == nil)
    }

    @Test func anEmptyBatchHasNoEvents() throws {
        let shell = try ShellFixture()
        var batch = shell.session.start(batch: [], timeout: nil)
        #expect(batch.next() == nil)
        #expect(shell.text("echo still") == "still\n")
    }

    @Test func exportBetweenEventsGoesToTheNextBatch() throws {
        let shell = try ShellFixture()
        var batch = shell.session.start(batch: ["echo \"[$X]\"", "echo \"[$X]\""], timeout: .seconds(20))
        var outputs: [String] = []
        while let event = batch.next() {
            // The session is not locked between events: this must not wait for the batch.
            shell.session.export("X", value: "set")
            if case .finished(_, let result) = event { outputs.append(String(decoding: result.output, as: UTF8.self)) }
        }
        #expect(outputs == ["[]\n", "[]\n"])
        #expect(shell.text("echo \"[$X]\"") == "[set]\n")
    }

    @Test func exportFromAnotherThreadDuringABatch() async throws {
        let shell = try ShellFixture()
        let session = shell.session
        var batch = session.start(batch: ["sleep 0.3", "echo \"[$Y]\""], timeout: .seconds(20))
        async let exported: Void = Task.detached { session.export("Y", value: "later") }.value
        var results: [CommandResult] = []
        while let event = batch.next() {
            if case .finished(_, let result) = event { results.append(result) }
        }
        await exported
        #expect(results.map(\.output) == [[], Array("[]\n".utf8)])
        #expect(shell.text("echo \"[$Y]\"") == "[later]\n")
    }

    @Test func terminatingBetweenEventsEndsTheBatch() throws {
        let shell = try ShellFixture()
        var batch = shell.session.start(batch: ["echo one", "sleep 100", "echo never"], timeout: .seconds(20))
        var finished: [CommandResult] = []
        while let event = batch.next() {
            if case .finished(_, let result) = event {
                finished.append(result)
                if finished.count == 1 { shell.session.terminate() }
            }
        }
        #expect(finished.count == 2)
        #expect(finished.last?.shellEnded == true)
    }

    @Test func outputIsSeenAsItArrives() throws {
        let shell = try ShellFixture()
        var seen: [UInt8] = []
        var batch = shell.session.start(batch: ["printf one", "printf two"], timeout: .seconds(20)) { seen.append(contentsOf: $0) }
        var outputs: [[UInt8]] = []
        while let event = batch.next() {
            if case .finished(_, let result) = event { outputs.append(result.output) }
        }
        #expect(seen == Array("onetwo".utf8))
        #expect(outputs == [Array("one".utf8), Array("two".utf8)])
    }
}
