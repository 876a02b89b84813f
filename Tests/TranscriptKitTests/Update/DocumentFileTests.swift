import Foundation
import Testing
@testable import TranscriptKit
#if canImport(Glibc)
import Glibc
#endif

/// How update and record write a document back: metadata, links, read-only files, failures.
@Suite struct DocumentFileTests {
    /// A fresh directory, removed by the caller.
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "document-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func info(_ path: String) -> stat {
        var info = stat()
        _ = stat(path, &info)
        return info
    }

    @Test func keepsModeAndReplacesAtomically() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/a.md"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let before = Self.info(path).st_ino
        try DocumentFile.open(path).get().write("new\n", force: false)
        #expect(Self.text(path) == "new\n")
        #expect(Self.info(path).st_mode & 0o7777 == 0o640)
        #expect(Self.info(path).st_ino != before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["a.md"])
    }

    @Test func keepsTheOwnerWhereAllowed() throws {
        guard getuid() == 0 else { return }
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/a.md"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        chown(path, 4321, 5432)
        try DocumentFile.open(path).get().write("new\n", force: false)
        #expect(Self.info(path).st_uid == 4321)
        #expect(Self.info(path).st_gid == 5432)
    }

    @Test func writesThroughASymbolicLink() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "old\n".write(toFile: directory + "/real.md", atomically: false, encoding: .utf8)
        symlink("real.md", directory + "/link.md")
        let file = try DocumentFile.open(directory + "/link.md").get()
        try file.write("new\n", force: false)
        #expect(FileIdentity.isLink(directory + "/link.md"))
        #expect(Self.text(directory + "/real.md") == "new\n")
    }

    @Test func writesAHardLinkedFileInPlace() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "old\n".write(toFile: directory + "/one.md", atomically: false, encoding: .utf8)
        link(directory + "/one.md", directory + "/two.md")
        let file = try DocumentFile.open(directory + "/one.md").get()
        #expect(file.note?.contains("2 hard links") == true)
        try file.write("new\n", force: false)
        #expect(Self.text(directory + "/two.md") == "new\n")
        #expect(Self.info(directory + "/one.md").st_nlink == 2)
    }

    @Test func refusesAReadOnlyFileUnlessForced() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/ro.md"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o444)
        let file = try DocumentFile.open(path).get()
        #expect(throws: DocumentFileError.self) { try file.write("new\n", force: false) }
        #expect(Self.text(path) == "old\n")
        try file.write("new\n", force: true)
        #expect(Self.text(path) == "new\n")
        #expect(Self.info(path).st_mode & 0o7777 == 0o444)
    }

    @Test func createsAMissingFileAndRefusesADanglingLink() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try DocumentFile.open(directory + "/new.md").get().write("text\n", force: false)
        #expect(Self.text(directory + "/new.md") == "text\n")
        symlink("missing.md", directory + "/dangling.md")
        guard case .failure(let error) = DocumentFile.open(directory + "/dangling.md") else {
            Issue.record("a dangling link was accepted")
            return
        }
        #expect(error.message.contains("No such file or directory"))
    }

    @Test func saysWhyTheTemporaryFileCannotBeCreated() {
        // No file can be created in /proc/self, not even by root.
        do {
            try AtomicFile.write("text", to: "/proc/self/document.md")
            Issue.record("wrote into /proc/self")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("cannot create a temporary file in /proc/self: "))
            #expect(message.count > "cannot create a temporary file in /proc/self: ".count)
        }
    }
}
