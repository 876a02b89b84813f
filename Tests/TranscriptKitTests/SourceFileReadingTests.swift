import Foundation
import Testing
@testable import TranscriptKit

/// Reading a document: the first byte that is not UTF-8 is located by line and column.
struct SourceFileReadingTests {
    @Test(arguments: [
        ([0x61, 0x0A, 0x62, 0xFF], 2, 2, 0xFF),
        ([0xC3, 0xA9, 0xE9, 0x0A], 1, 2, 0xE9),
        ([0x0A, 0x0A, 0x78, 0xC0, 0xAF], 3, 2, 0xC0),
        ([0xED, 0xA0, 0x80], 1, 1, 0xED),
        ([0x61, 0xF0, 0x9F, 0x98], 1, 2, 0xF0),
        ([0xF4, 0x90, 0x80, 0x80], 1, 1, 0xF4),
    ] as [([UInt8], Int, Int, UInt8)])
    func locatesTheFirstBadByte(bytes: [UInt8], line: Int, column: Int, byte: UInt8) {
        let found = SourceFile.firstInvalidUTF8(in: Data(bytes))
        #expect(found?.line == line)
        #expect(found?.column == column)
        #expect(found?.byte == byte)
    }

    @Test func validTextHasNoBadByte() {
        #expect(SourceFile.firstInvalidUTF8(in: Data("a\nb é 😀\n".utf8)) == nil)
    }

    @Test func everyErrorIsLocated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("source-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.md")
        try Data([0x24, 0x20, 0xFF]).write(to: bad)
        #expect(throws: Diagnostic.self) { try SourceFile.read(path: bad.path) }
        do {
            _ = try SourceFile.read(path: bad.path)
        } catch {
            #expect(error.description.hasPrefix(bad.path + ":1:3: error: the file is not UTF-8"))
        }
        do {
            _ = try SourceFile.read(path: directory.appendingPathComponent("missing.md").path)
        } catch {
            #expect(error.location.hasSuffix("missing.md:1:1"))
            #expect(error.message == "cannot read the file: No such file or directory")
        }
        #expect(Diagnostic(file: "a.toml", line: 0, column: 0, message: "m").location == "a.toml:1:1")
    }
}
