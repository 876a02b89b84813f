import Foundation
import Testing
@testable import TranscriptKit

/// A line's compilation grows linearly with its placeholders: the template keeps its group count
/// as it grows and extends its text in place.
@Suite struct CompilationScaleTests {
    @Test func numberingManyInlinePatternsIsLinear() {
        var template = LineCompiler.TemplateBuilder()
        let start = ContinuousClock.now
        for _ in 0..<200_000 {
            template.append("(?:" + template.ownNumbers("(a)\\1", opening: 0) + "\\E)")
        }
        let elapsed = ContinuousClock.now - start
        #expect(template.captureGroups == 200_000)
        #expect(template.source.hasSuffix("(?:(a)\\200000\\E)"))
        #expect(template.pieces.count == 1)
        // Quadratic work took minutes here; linear takes well under a second (a debug build).
        #expect(elapsed < .seconds(10))
    }

    @Test func aLineOfManyPlaceholdersCompilesInLinearTime() {
        func seconds(_ count: Int) -> Double {
            let line = String(repeating: "{{/a/}}x", count: count)
            let start = ContinuousClock.now
            _ = try? Fixture.matcher([line])
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        let small = max(seconds(20_000), 0.005)
        let large = seconds(200_000)
        // Ten times the placeholders: linear is about 10 times the time, quadratic 100.
        #expect(large < small * 40 + 1)
    }

    @Test func aPatternThatDoesNotCompileIsShownShortened() throws {
        let line = String(repeating: "{{/a/}}", count: 50_000)
        #expect(throws: Diagnostics.self) { try Fixture.matcher([line]) }
        do {
            _ = try Fixture.matcher([line])
        } catch {
            let description = String(describing: error)
            #expect(description.count < 1_000)
            #expect(description.contains("more characters)"))
        }
    }
}
