@testable import TranscriptKit

/// What the pipeline tests' stand-in engine kinds have alike: no settings of their own, named by
/// no command, versions compared as the harness compares them.
protocol StandInEngine: Engine {}

extension StandInEngine {
    static func parseSettings(_ section: inout ConfigurationReader) -> any Sendable { "" }
    static func isUsed(by command: String) -> Bool { false }
    static func compareVersions(_ a: String, _ b: String) -> Int { TranscriptKit.compareVersions(a, b) }
}
