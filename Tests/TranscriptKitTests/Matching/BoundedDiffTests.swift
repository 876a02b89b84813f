import Foundation
import Testing
@testable import TranscriptKit

/// Long outputs: lines are kept compactly and split as before, a failing diff stays within its
/// bounds and says what it left out, `update`'s unbounded match keeps every line.
@Suite struct BoundedDiffTests {
    static let outputs: [[UInt8]] = [
        [], Array("\n".utf8), Array("a".utf8), Array("a\n".utf8), Array("a \t\n\n b\t\n  \n".utf8),
        Array("\n\n x \nlast".utf8), Array("one\r\ntwo  ".utf8), [0xFF, 0x20, 0x0A, 0x0A, 0x20],
    ]

    @Test(arguments: outputs)
    func compactLinesAreTheLinesSplitGives(output: [UInt8]) {
        for exact in [false, true] {
            let compact = Array(ActualLines(output, exact: exact))
            let split = ActualLine.split(output, exact: exact)
            #expect(compact.map { Array($0.bytes) } == split.map { Array($0.bytes) }, "exact: \(exact)")
            #expect(compact.map(\.noEOL) == split.map(\.noEOL), "exact: \(exact)")
        }
    }

    @Test func aWindowKeepsTheFirstAndLastLines() {
        let output = Array((0..<100).map { "\($0)\n" }.joined().utf8)
        let window = ActualLines(output, exact: false).windowed(keeping: 10)
        #expect(window.count == 10)
        #expect(window.gap == 90)
        #expect(window.map { String(decoding: $0.bytes, as: UTF8.self) } == ["0", "1", "2", "3", "4", "95", "96", "97", "98", "99"])
        #expect(window.lineIndex(5) == 95)
    }

    @Test func aLongMismatchIsCutAndSaysHowManyLinesItLeftOut() throws {
        let output = String(repeating: "y\n", count: 1_000_000)
        var bindings = Bindings()
        let result = try Fixture.matcher(["n"]).match(Array(output.utf8), bindings: &bindings, bounds: DiffBounds())
        #expect(!result.passed)
        // 200 differing lines: the missing one and 199 actual ones, then the count of the rest.
        #expect(result.diff.count == 201)
        #expect(result.diff.first == DiffLine(kind: .expected, text: "n", line: 11, expectedIndex: 0))
        #expect(result.diff.filter { $0.kind == .actual }.count == 199)
        let last = try #require(result.diff.last)
        #expect(last.kind == .omitted)
        // Every actual line is either shown or counted.
        #expect(last.omitted == 1_000_000 - 199)
        #expect(last.text == "999801 more lines of the diff not shown")
    }

    @Test func theWindowsGapIsMarkedWhereItLies() throws {
        let output = "first\n" + String(repeating: "same\n", count: 10_000) + "changed\n"
        let expected = ["first", "..."] + ["same", "same", "expected"]
        var bindings = Bindings()
        let result = try Fixture.matcher(expected).match(Array(output.utf8), bindings: &bindings, bounds: DiffBounds())
        let summary = Fixture.diffSummary(result)
        #expect(summary.contains("@ 8002 lines of output between these left out of the diff"))
        #expect(summary.suffix(2) == ["- expected", "+ changed"])
        #expect(result.diff.compactMap(\.actualIndex).max() == 10_001)
    }

    @Test func withoutBoundsEveryLineIsListed() throws {
        let output = String(repeating: "y\n", count: 5_000)
        var bindings = Bindings()
        let result = try Fixture.matcher(["n"]).match(Array(output.utf8), bindings: &bindings)
        #expect(result.diff.count == 5_001)
        #expect(!result.diff.contains { $0.kind == .omitted })
    }

    @Test func aLongLineIsShortened() throws {
        let output = String(repeating: "x", count: 10_000) + "\n"
        var bindings = Bindings()
        let result = try Fixture.matcher(["n"]).match(Array(output.utf8), bindings: &bindings, bounds: DiffBounds())
        let shown = try #require(result.diff.first { $0.kind == .actual })
        #expect(shown.text == String(repeating: "x", count: 2_000) + " … (8000 more characters)")
    }

    @Test func everyReportFormatShowsTheCut() throws {
        let omitted = DiffBounds.omission(42, "more lines of the diff not shown")
        let lines = DiffRendering().diffLines([DiffLine(kind: .expected, text: "n"), DiffLine(kind: .actual, text: "y"), omitted])
        #expect(lines == ["-n", "+y", "@@ 42 more lines of the diff not shown @@"])
    }
}
