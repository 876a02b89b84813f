import Foundation
import Testing
@testable import TranscriptKit

/// Update writes nothing that `run` would reject; `list` rejects what `run` rejects.
@Suite struct FullCheckTests {
    static func runner() -> FileRunner {
        FileRunner(settings: RunSettings(), configurations: ConfigurationResolver(), engines: EngineSet(engines: []), observer: nil)
    }

    @Test func anUpdateThatLosesACaptureFailsTheCheck() {
        let source = SourceFile(path: "c.md", absolutePath: "/nonexistent/c.md",
                                text: "```console\n$ echo abc\n{{ID=/x+/}}\n$ echo abc\n{{$ID}}\n```\n")
        let rewritten = "```console\n$ echo abc\nabc\n$ echo abc\n{{$ID}}\n```\n"
        let diagnostics = UpdateInvocation.fullCheck(rewritten, of: source, rerun: Self.runner())
        #expect(diagnostics?.items.first?.message.contains("variable ID") == true)
        #expect(UpdateInvocation.fullCheck("```console\n$ echo abc\nabc\n```\n", of: source, rerun: Self.runner()) == nil)
    }

    @Test func listExitsTwoOnWhatRunRejects() throws {
        let directory = NSTemporaryDirectory() + "full-check-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "```console\n$ echo abc\n{{nope}}\n```\n".write(toFile: directory + "/bad.md", atomically: true, encoding: .utf8)
        try "```console\n$ echo abc\nabc\n```\n".write(toFile: directory + "/good.md", atomically: true, encoding: .utf8)
        #expect(RunInvocation.list(paths: [directory + "/good.md"], settings: RunSettings()) == 0)
        #expect(RunInvocation.list(paths: [directory + "/bad.md"], settings: RunSettings()) == 2)
    }
}
