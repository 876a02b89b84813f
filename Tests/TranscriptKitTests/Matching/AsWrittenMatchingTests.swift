import Testing
@testable import TranscriptKit

/// Documents as written: commands shown without output, tables compared column by column,
/// bindings from rows that fail on another column, example kinds of other shapes.
@Suite struct MatchingAsWrittenTests {
    static let docker = Fixture.options(examples: Options.dockerExampleKinds)

    static var asWritten: Options {
        var options = Options()
        options.asWritten = true
        return options
    }

    static let psHeader = "CONTAINER ID        IMAGE               COMMAND             CREATED             STATUS              PORTS               NAMES"
    static let psRow = "c3f279d17e0a        busybox             \"sh\"                7 days ago          Up 25 hours                             first_box"
    static let actualHeader = "CONTAINER ID   IMAGE     COMMAND   CREATED         STATUS        PORTS     NAMES"
    static let actualRow = "3f1c2b7d9e01   busybox   \"sh\"      2 seconds ago   Up 1 second             first_box"

    @Test func asWrittenIsImpliedByExamples() throws {
        #expect(Self.docker.isAsWritten)
        #expect(Self.asWritten.isAsWritten)
        #expect(!Options().isAsWritten)
        let parsed = try Options.parse("as-written", file: "t.md", line: 1, column: 1)
        #expect(parsed.asWritten == true && parsed.examples == nil && parsed.summary == "as-written")
    }

    @Test func commandShownWithoutOutputChecksNothingButReportsWhatItPrinted() throws {
        let result = try Fixture.run([], "my_container\n", options: Self.asWritten)
        #expect(result.passed)
        #expect(result.unshownOutput == ["my_container"])
        #expect(result.unshownNote == "the page shows no output; it printed 1 line")
        #expect(try Fixture.run(["", ""], "", options: Self.asWritten).unshownNote == nil)
        #expect(try !Fixture.passes([], "my_container\n"))
    }

    @Test func tableRowsCompareCellByCellWithoutWs() throws {
        let output = [Self.actualHeader, Self.actualRow].joined(separator: "\n") + "\n"
        #expect(try Fixture.passes([Self.psHeader, Self.psRow], output, options: Self.docker))
        #expect(try !Fixture.passes([Self.psHeader, Self.psRow], output, options: Fixture.options(examples: ["short-id"])))
        var literal = Self.asWritten
        literal.examples = nil
        let plain = ["NAME      SIZE", "alpha     3", "", "Total: 3"]
        #expect(try Fixture.passes(plain, "NAME  SIZE\nalpha 4\n\nTotal: 3\n", options: literal) == false)
        #expect(try Fixture.passes(plain, "NAME   SIZE\nalpha  3\n\nTotal: 3\n", options: literal))
    }

    @Test func aCellThatDiffersFailsItsRow() throws {
        let result = try Fixture.run(["REPOSITORY          TAG                 SIZE", "busybox             latest              2.43 MB"],
                                     "REPOSITORY   TAG       SIZE\nbusybox      1.36      4.26MB\n", options: Self.docker)
        #expect(!result.passed)
        #expect(Fixture.diffSummary(result) == ["  REPOSITORY          TAG                 SIZE", "- busybox             latest              2.43 MB",
                                                "+ busybox      1.36      4.26MB"])
    }

    @Test func layoutsFollowColumnsNotBytes() throws {
        let header = try #require(TableLayout.header(Array("IMAGE        ID     DISK USAGE".unicodeScalars)))
        #expect(header.starts == [0, 13, 20])
        let row = Array("├─ linux/arm  903bfe     0B".unicodeScalars)
        #expect(try #require(header.cells(row)).map { String(String.UnicodeScalarView(row[$0])) } == ["├─ linux/arm", "903bfe", "0B"])
        #expect(TableLayout.header(Array("Total reclaimed space:  1.2GB".unicodeScalars)) == nil)
        #expect(TableLayout.header(Array("CONTAINER ID IMAGE".unicodeScalars)) == nil)
        #expect(header.cells(Array("Total reclaimed space: 1.2GB".unicodeScalars)) == nil)
    }

    @Test func aRowThatFailsOnOneColumnStillBindsItsID() throws {
        var bindings = Bindings()
        let expected = [Self.psHeader, Self.psRow.replacingOccurrences(of: "\"sh\"   ", with: "/bin/sh")]
        let output = [Self.actualHeader, Self.actualRow].joined(separator: "\n") + "\n"
        let matcher = try Fixture.matcher(expected, options: Self.docker)
        #expect(!matcher.match(Array(output.utf8), bindings: &bindings).passed)
        #expect(bindings.substitute(in: "docker stop c3f279d17e0a") == "docker stop 3f1c2b7d9e01")
    }

    @Test func aRowThatFailsOnTwoColumnsBindsNothing() throws {
        var bindings = Bindings()
        let expected = [Self.psHeader, Self.psRow.replacingOccurrences(of: "\"sh\"   ", with: "/bin/sh")
            .replacingOccurrences(of: "busybox", with: "alpine ")]
        let output = [Self.actualHeader, Self.actualRow].joined(separator: "\n") + "\n"
        let matcher = try Fixture.matcher(expected, options: Self.docker)
        #expect(!matcher.match(Array(output.utf8), bindings: &bindings).passed)
        #expect(bindings.examples.isEmpty)
    }

    @Test func laterCommandsKnowWhichExamplesTheyUse() throws {
        var known = Set<String>()
        var vocabulary = ExampleVocabulary()
        _ = try OutputMatcher(command: Fixture.command([Self.psHeader, Self.psRow], firstLine: 5), options: Self.docker,
                              library: Fixture.library, file: "doc.md", knownVariables: &known, knownExamples: &vocabulary)
        let later = try OutputMatcher(command: Fixture.command([], text: "docker stop c3f279d17e0a first_box"), options: Self.docker,
                                      library: Fixture.library, file: "doc.md", knownVariables: &known, knownExamples: &vocabulary)
        #expect(later.exampleMentions == [ExampleMention(word: "c3f279d17e0a", line: 6)])
    }

    @Test(arguments: [
        ("2.7M busybox.tar", "4.0K busybox.tar"), ("1.5 GB", "234kB"),
        ("-rw-r--r-- 1 root root 3.9M Oct  7 11:06 x.tar", "-rw-r--r-- 1 root root 12K Mar 10  2021 x.tar"),
        ("        \"Size\": 12345,", "        \"Size\": 4261574,"),
        ("at 2021-03-10 00:15:05 +0100 CET", "at 1970-01-01 00:00:00 +0000 UTC"),
        ("\"Created\": \"2021-03-10T00:15:05.123456789Z\"", "\"Created\": \"2020-01-03T00:00:00Z\""),
        ("1.983MB (99%)", "12.6MB (3%)"),
        ("ADD file:1fd8d7f9f6557cafc7 in /", "ADD file:a2f7e3b5c1d9 in /"),
        ("sha256:d4f3e2c1b0a9...", "sha256:" + String(repeating: "ab", count: 32)),
    ])
    func moreExampleKinds(written: String, actual: String) throws {
        #expect(try Fixture.passes([written], actual + "\n", options: Self.docker), "\(written) / \(actual)")
        #expect(try !Fixture.passes([written], actual + "\n"))
    }

    @Test func aCutIDMustAgreeWithTheIDItIsCutFrom() throws {
        var bindings = Bindings()
        let matcher = try Fixture.matcher(["d4f3e2c1b0a9", "sha256:d4f3e2c1b0a9e8f7..."], options: Self.docker)
        #expect(matcher.match(Array("0123456789ab\nsha256:0123456789abcdef...\n".utf8), bindings: &bindings).passed)
        var fresh = Bindings()
        let result = matcher.match(Array("0123456789ab\nsha256:fedcba9876543210...\n".utf8), bindings: &fresh)
        #expect(result.message == "d4f3e2c1b0a9e8f7... is cut from d4f3e2c1b0a9, which was bound to 0123456789ab at line 11; "
                    + "here the output shows fedcba9876543210...")
    }

    /// `date` as the page's author ran it (another locale, another zone) matches `date` here; the
    /// whole date is one example, not an `ls-date` inside it with the seconds left literal.
    @Test func aDateAsDatePrintsItIsAnExample() throws {
        let output = "Wed Dec  2 10:16:15 UTC 2026\n"
        #expect(try Fixture.passes(["Tue 14 Nov 2017 16:40:00 CET"], output, options: Self.docker))
        #expect(try Fixture.passes(["Tue Nov 14 16:40:00 UTC 2017"], output, options: Self.docker))
        #expect(try Fixture.passes(["started: Mon Jan  1 00:00:00 UTC 2024 (boot)"], "started: \(output.dropLast()) (boot)\n",
                                   options: Self.docker))
        #expect(try !Fixture.passes(["Tue Nov 14 16:40:00 UTC 2017"], output, options: Fixture.options(examples: ["ls-date"])))
        #expect(try !Fixture.passes(["Tue Nov 14 16:40:00 UTC 2017"], "Wed Dec  2 10:16:15 UTC 2026 extra\n", options: Self.docker))
    }
}
