import Foundation
import Testing
@testable import TranscriptKit
#if canImport(Glibc)
import Glibc
#endif

/// Discovery follows links, each real file once, and never loops.
@Suite struct DiscoveryLinkTests {
    static let session = "```console\n$ true\n```\n"

    @Test func aLinkUpTheTreeAndASelfLinkFindEachFileOnce() throws {
        let directory = NSTemporaryDirectory() + "discovery-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/a/b", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.session.write(toFile: directory + "/a/x.md", atomically: true, encoding: .utf8)
        try Self.session.write(toFile: directory + "/a/b/y.md", atomically: true, encoding: .utf8)
        symlink("..", directory + "/a/up")
        symlink("../..", directory + "/a/b/top")
        symlink("self", directory + "/self")
        symlink("self2", directory + "/self1")
        symlink("self1", directory + "/self2")
        symlink("x.md", directory + "/a/alias.md")
        var notes: [String] = []
        let found = try Discovery.files(for: [directory]) { notes.append($0) }.get()
        #expect(found == [directory + "/a/b/y.md", directory + "/a/x.md"])
        #expect(notes.contains { $0.contains("/a/up -> .. (a directory already searched)") })
        #expect(notes.contains { $0.contains("/self -> self (Too many levels of symbolic links)") })
        #expect(notes.contains { $0.contains("/a/alias.md -> x.md (the same file as ") })
    }

    @Test func aLinkedDirectoryIsSearchedOnce() throws {
        let directory = NSTemporaryDirectory() + "discovery-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/real", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.session.write(toFile: directory + "/real/z.md", atomically: true, encoding: .utf8)
        symlink("real", directory + "/alias")
        symlink("real", directory + "/other")
        let found = try Discovery.files(for: [directory, directory + "/alias/z.md"]) { _ in }.get()
        #expect(found == [directory + "/real/z.md"])
    }
}
