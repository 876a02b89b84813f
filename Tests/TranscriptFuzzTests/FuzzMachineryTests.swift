import Foundation
import Testing
@testable import TranscriptFuzz

/// The fuzz target's own parts: the minimizer, the CLI mode's location check, and the in-process
/// invariants on documents that hold them.
@Suite struct FuzzMachineryTests {
    @Test func minimizerKeepsTheFailureAndDropsTheRest() {
        let failures = Failures(folder: NSTemporaryDirectory() + "fuzz-tests-\(getpid())") { bytes in
            String(decoding: bytes, as: UTF8.self).contains("BAD") ? Violation(kind: "bad", detail: "") : nil
        }
        let input = Array("line one\nsome BAD line\nline three\n".utf8)
        #expect(String(decoding: failures.minimize(input, kind: "bad"), as: UTF8.self) == "BAD")
    }

    @Test func errorsAreLocatedWithLineAndColumn() {
        #expect(CLIMode.located("case.md:3:5: error: unknown pattern"))
        #expect(!CLIMode.located("case.md: error: the file is not valid UTF-8"))
        #expect(!CLIMode.located("case.md:0:0: error: something"))
        #expect(!CLIMode.located("case.md:4: error: no column"))
    }

    @Test func documentsThatHoldTheInvariantsPass() throws {
        let directory = NSTemporaryDirectory() + "fuzz-invariants-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let invariants = Invariants(directory: directory)
        let documents = [
            "```console\n$ echo hi\nhi\n$ (exit 3)\n[3]\n```\n",
            "```console\n$ date\n{{no-such-pattern}}\n```\n",
            "> - ```console\n>   $ printf 'a\\nb\\n'\n>   a\n>   {{/[a-z]/}}\n>   ```\n",
        ]
        for document in documents {
            #expect(invariants.check(Array(document.utf8)) == nil, "\(document)")
        }
    }

    @Test func mutationsAreDeterministicPerSeed() {
        let corpus = [Array("```console\n$ echo hi\nhi\n```\n".utf8)]
        var first = Mutator(random: SplitMix(seed: 42), corpus: corpus)
        var second = Mutator(random: SplitMix(seed: 42), corpus: corpus)
        #expect((0..<20).map { _ in first.mutate() } == (0..<20).map { _ in second.mutate() })
    }
}
