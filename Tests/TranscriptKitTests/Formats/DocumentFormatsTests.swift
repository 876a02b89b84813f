import Foundation
import Testing
@testable import TranscriptKit

@Suite("Formats: the registry")
struct DocumentFormatsTests {
    @Test(arguments: ["a.md", "dir/b.md", "notes.txt", "no-extension", "c.md.bak"])
    func everyPathHasAFormat(path: String) {
        // Markdown reads whatever no other format claims, and whatever is named on the command line.
        #expect(DocumentFormats.format(for: path).name == "markdown")
        #expect(DocumentFormats.format(for: path, text: "```console\n$ true\n```\n").name == "markdown")
    }

    @Test(arguments: [("a.md", true), ("README.md", true), ("notes.txt", false), ("c.md.bak", false), ("x.t", true), ("x.txt", false), ("y.scrut", true)])
    func discoveryLooksAtRegisteredExtensionsOnly(name: String, isCandidate: Bool) {
        #expect(DocumentFormats.isCandidate(name) == isCandidate)
    }

    @Test(arguments: [("# Notes\n\nProse only.\n", false), ("```console\n$ true\n```\n", true),
                      ("<!-- transcript\n$ true\n-->\n", true), ("```sh-session\n```\n", true)])
    func mayHoldSessions(text: String, may: Bool) {
        #expect(MarkdownFormat().mayHoldSessions(text) == may)
    }

    @Test(arguments: [("a.t", "  $ true\n", "cram"), ("b.md", "```scrut\n$ true\n```\n", "scrut"),
                      ("c.md", "```console\n$ true\n```\n", "markdown"), ("d.md", "Prose about ```scrut fences.\n", "markdown"),
                      ("e.scrut", "```scrut\n$ true\n```\n", "scrut")])
    func theFormatOfAFile(path: String, text: String, format: String) {
        #expect(DocumentFormats.format(for: path, text: text).name == format)
    }

    @Test func discoveryFindsDocumentsThatMayHoldSessions() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("formats-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = ["a.md": "```console\n$ true\n```\n", "README.md": "Prose.\n", "sub/b.md": "<!-- transcript\n-->\n",
                     "c.txt": "```console\n$ true\n```\n"]
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        let found = try Discovery.files(for: [directory]).get()
        #expect(found == [directory + "/a.md", directory + "/sub/b.md"])
    }
}
