import PCRE2
import Testing
@testable import TranscriptKit

@Suite struct MatchingPatternLibraryTests {
    static let hex64 = "54bb4e8718e8600d78a5d7c62ce9a4b4b9bd8d87b10d6b4a2e0b3c1e2a3f4d5c"

    static let matching: [(String, String)] = [
        ("short-id", "54bb4e8718e8"), ("short-id", "0bd2b54678c7"),
        ("id", hex64),
        ("sha256", "sha256:" + hex64),
        ("hex", "7f"), ("hex", "DEADbeef"), ("hex", "0"),
        ("int", "0"), ("int", "-42"), ("int", "+7"), ("int", "123456"),
        ("number", "1.98"), ("number", "-0.5"), ("number", "42"),
        ("size", "0B"), ("size", "81 B"), ("size", "1.98MB"), ("size", "323.7 MB"), ("size", "2.1kB"),
        ("size", "1.5GiB"), ("size", "5.59MB"), ("size", "7.812kB"), ("size", "1.23 GB"), ("size", "512KiB"),
        ("ago", "Less than a second ago"), ("ago", "1 second ago"), ("ago", "59 seconds ago"),
        ("ago", "About a minute ago"), ("ago", "12 minutes ago"), ("ago", "About an hour ago"), ("ago", "42 hours ago"),
        ("ago", "5 days ago"), ("ago", "2 weeks ago"), ("ago", "3 months ago"), ("ago", "2 years ago"),
        ("status", "Created"), ("status", "Up 3 seconds"), ("status", "Up Less than a second"),
        ("status", "Up About a minute (Paused)"), ("status", "Up 2 hours (healthy)"), ("status", "Up 5 minutes (unhealthy)"),
        ("status", "Up 10 seconds (health: starting)"), ("status", "Exited (0) 5 days ago"),
        ("status", "Exited (143) 5 days ago"), ("status", "Exited (-1) 3 weeks ago"),
        ("status", "Exited (0) Less than a second ago"), ("status", "Restarting (1) 2 seconds ago"),
        ("status", "Removal In Progress"), ("status", "Dead"), ("status", "Paused"),
        ("timestamp", "2026-11-25T08:44:59.05Z"), ("timestamp", "2026-11-25T08:44:59Z"), ("timestamp", "2026-11-25T08:44:59"),
        ("timestamp", "2026-11-25T08:44:59.123456789+02:00"), ("timestamp", "2024-02-29T23:59:60-07:30"),
        ("duration", "150ms"), ("duration", "1.5s"), ("duration", "2m3s"), ("duration", "1h2m3.5s"), ("duration", "0s"),
        ("duration", "10µs"), ("duration", "100ns"), ("duration", "-1.5s"), ("duration", "3m0.000000001s"),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000"), ("uuid", "123E4567-E89B-12D3-A456-426614174000"),
        ("name", "backstabbing_ritchie"), ("name", "sharp_wescoff"), ("name", "drunk_feynman"), ("name", "focused_turing7"),
        ("any", ""), ("any", "anything at all {{ }}"),
        ("human-size", "2.7M"), ("human-size", "1.5 GB"), ("human-size", "234kB"), ("human-size", "4.0K"),
        ("human-size", "0B"), ("human-size", "1.5GiB"), ("human-size", "12G"),
        ("ls-date", "Dec  5 04:10"), ("ls-date", "Mar 10  2021"), ("ls-date", "Oct  7 11:06"), ("ls-date", "Jan 31 23:59"),
        ("zoned-time", "2021-03-10 00:15:05 +0100 CET"), ("zoned-time", "2024-01-02 10:00:00.123456789 +0000 UTC"),
        ("zoned-time", "2024-01-02 10:00:00 -0300 -03"), ("zoned-time", "2024-01-02 10:00:00.5 +0000 UTC m=+0.001"),
        ("zoned-time", "Wed Dec  2 10:16:15 UTC 2026"), ("zoned-time", "Tue 14 Nov 2017 16:40:00 CET"),
        ("zoned-time", "Tue 14 Nov 04:40:00 PM CET 2017"), ("zoned-time", "Tue, 14 Nov 2017 16:40:00 +0100"),
        ("zoned-time", "Wed Dec 2 14:37:30 2026 +0000"), ("git-hash", "3f2a1b0"), ("git-hash", String(repeating: "a1", count: 20)),
        ("datetime", "2026-12-02 14:37:30"), ("datetime", "2026-12-02 14:37:30,5Z"), ("datetime", "2026-12-02 14:37:30-0130"),
        ("percent", "50%"), ("percent", "0.07%"), ("percent", "100%"),
        ("cut-id", "1fd8d7f9f6557cafc7"), ("cut-id", "d4f3e2c1b0a9..."), ("cut-id", "d4f3e2c1b0a9…"), ("cut-id", hex64),
    ]

    static let nearMisses: [(String, String)] = [
        ("short-id", "54bb4e8718e"), ("short-id", "54bb4e8718e8a"), ("short-id", "54BB4E8718E8"), ("short-id", "54bb4e8718g8"),
        ("id", String(hex64.dropLast())), ("id", hex64 + "0"), ("id", hex64.uppercased()),
        ("sha256", "sha256:" + String(hex64.dropLast())), ("sha256", "sha512:" + hex64), ("sha256", hex64),
        ("hex", ""), ("hex", "0x7f"), ("hex", "7g"),
        ("int", "1.5"), ("int", ""), ("int", "4a"), ("int", "- 4"),
        ("number", "1."), ("number", ".5"), ("number", "1e3"), ("number", "1,5"),
        ("size", "1.98"), ("size", "MB"), ("size", "1.98 mb"), ("size", "12 bytes"), ("size", "1.5 GIB"), ("size", "1.5  MB"),
        ("ago", "42 hours"), ("ago", "a minute ago"), ("ago", "About a minutes ago"), ("ago", "5 Days ago"),
        ("ago", "less than a second ago"), ("ago", "5 days  ago"),
        ("status", "Up"), ("status", "Exited (0)"), ("status", "Exited 0 5 days ago"), ("status", "Up 3 seconds (paused)"),
        ("status", "created"), ("status", "Exited (0) 5 days"), ("status", "Up 3 seconds ago"),
        ("timestamp", "2026-11-25"), ("timestamp", "2026-13-25T08:44:59Z"), ("timestamp", "2026-11-25 08:44:59Z"),
        ("timestamp", "2026-11-25T8:44:59Z"), ("timestamp", "2026-11-25T08:44:59.Z"),
        ("duration", "1.5"), ("duration", "s"), ("duration", "1.5 s"), ("duration", "2x"), ("duration", "1d"),
        ("uuid", "123e4567-e89b-12d3-a456-42661417400"), ("uuid", "123e4567e89b12d3a456426614174000"),
        ("name", "Sharp_wescoff"), ("name", "sharp-wescoff"), ("name", "sharpwescoff"), ("name", "sharp_wescoff12"),
        ("name", "sharp__wescoff"),
        ("human-size", "2.7"), ("human-size", "M"), ("human-size", "1.5 Gb"), ("human-size", "12 bytes"),
        ("ls-date", "Dec 5"), ("ls-date", "Dec 32 04:10"), ("ls-date", "Foo  5 04:10"), ("ls-date", "Dec  5 4:10"),
        ("zoned-time", "2021-03-10T00:15:05 +0100 CET"), ("zoned-time", "2021-03-10 00:15:05 CET"),
        ("zoned-time", "Tue Nov 14 16:40:00 2017"), ("zoned-time", "Tue Nov 14 16:40 UTC 2017"),
        ("zoned-time", "Nov 14 16:40:00 UTC 2017"), ("zoned-time", "Tue 14 Nov 2017 16:40:00"),
        ("percent", "50"), ("percent", "%"), ("percent", "5 %"),
        ("git-hash", "3f2"), ("git-hash", "3F2A1B0"), ("git-hash", String(repeating: "a1", count: 33)),
        ("datetime", "2026-12-02T14:37:30"), ("datetime", "2026-12-02 14:37"), ("datetime", "2026-12-02  14:37:30"),
        ("cut-id", "abc"), ("cut-id", "D4F3E2C1B0A9"), ("cut-id", "d4f3e2c1b0a9.."),
    ]

    private func regex(_ name: String) throws -> Regex {
        let named = try #require(Fixture.library.pattern(named: name))
        return try Regex(named.regex, options: .wholeLine)
    }

    @Test(arguments: matching)
    func builtInMatches(name: String, text: String) throws {
        #expect(try regex(name).matches(text), "\(name) should match '\(text)'")
    }

    @Test(arguments: nearMisses)
    func builtInRejectsNearMiss(name: String, text: String) throws {
        #expect(try !regex(name).matches(text), "\(name) should not match '\(text)'")
    }

    @Test func tableListsEveryBuiltInInFormatOrder() {
        #expect(Fixture.library.names == ["short-id", "id", "sha256", "hex", "int", "number", "size", "ago", "status",
                                          "timestamp", "duration", "uuid", "name", "human-size", "byte-count", "ls-date",
                                          "zoned-time", "percent", "cut-id", "git-hash", "datetime", "any"])
        for pattern in Fixture.library.patterns where pattern.name != "any" {
            #expect(!pattern.examples.isEmpty)
        }
    }

    @Test func builtInExamplesMatchTheirOwnPattern() throws {
        for pattern in Fixture.library.patterns {
            // A pattern that looks behind it (byte-count) matches after the context its examples show.
            let source = pattern.regex.hasPrefix("(?<=") ? ".*?(?:" + pattern.regex + ")" : pattern.regex
            let compiled = try Regex(source, options: .wholeLine)
            for example in pattern.examples {
                #expect(compiled.matches(example), "\(pattern.name): \(example)")
            }
        }
    }

    @Test func customPatternsAreAdded() throws {
        let library = try PatternLibrary(custom: ["release": "v[0-9]+\\.[0-9]+\\.[0-9]+"], file: "transcript.toml", lines: ["release": 9])
        #expect(library.pattern(named: "release")?.isBuiltIn == false)
        #expect(library.names.last == "release")
        var known = Set<String>()
        let matcher = try OutputMatcher(command: Fixture.command(["version {{release}}"]), options: Options(),
                                        library: library, file: "doc.md", knownVariables: &known)
        var bindings = Bindings()
        #expect(matcher.match(Array("version v1.2.3\n".utf8), bindings: &bindings).passed)
        #expect(!matcher.match(Array("version 1.2.3\n".utf8), bindings: &bindings).passed)
    }

    @Test func customPatternMayNotRedefineBuiltIn() {
        #expect {
            try PatternLibrary(custom: ["id": "x"], file: "transcript.toml", lines: ["id": 4])
        } throws: { error in
            guard let error = error as? Diagnostics, let item = error.items.first else { return false }
            return item.file == "transcript.toml" && item.line == 4 && item.message.contains("built in")
        }
    }

    @Test func customPatternThatDoesNotCompileNamesFileAndLine() {
        #expect {
            try PatternLibrary(custom: ["bad": "a(b", "good": "x+"], file: "transcript.toml", lines: ["bad": 7, "good": 8])
        } throws: { error in
            guard let error = error as? Diagnostics else { return false }
            return error.items.count == 1 && error.items[0].line == 7
                && error.items[0].description.hasPrefix("transcript.toml:7:1: error: pattern 'bad' does not compile: missing closing parenthesis")
        }
    }
}
