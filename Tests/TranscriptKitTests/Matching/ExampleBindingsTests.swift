import Testing
@testable import TranscriptKit

@Suite struct MatchingExampleBindingsTests {
    static let docker = Options.dockerExampleKinds
    static let hexA = "0bd2b54678c7" + String(repeating: "a1", count: 26)
    static let hexB = "3bbffb82a12e" + String(repeating: "b2", count: 26)

    private func run(_ expected: [String], _ output: String, _ bindings: inout Bindings, kinds: [String] = docker,
                     firstLine: Int = 11) throws -> MatchResult {
        let matcher = try Fixture.matcher(expected, options: Fixture.options(examples: kinds), firstLine: firstLine)
        return matcher.match(Array(output.utf8), bindings: &bindings)
    }

    @Test func documentRunsAsWritten() throws {
        var bindings = Bindings()
        let written = "Error response from daemon: conflict: unable to remove repository reference \"training/webapp\" (must force) - container 0bd2b54678c7 is using its referenced image 54bb4e8718e8"
        let actual = "Error response from daemon: conflict: unable to remove repository reference \"training/webapp\" (must force) - container 3bbffb82a12e is using its referenced image 9c1d2e3f4a5b\n"
        #expect(try run([written], actual, &bindings).passed)
        #expect(bindings.substitute(in: "docker rm 0bd2b54678c7") == "docker rm 3bbffb82a12e")
        #expect(bindings.substitute(in: "docker rmi 54bb4e8718e8 && echo 0bd2b54678c7x") == "docker rmi 9c1d2e3f4a5b && echo 0bd2b54678c7x")
        var copy = bindings
        #expect(try run(["0bd2b54678c7"], "3bbffb82a12e\n", &copy, firstLine: 20).passed)
        let wrong = try run(["0bd2b54678c7"], "9c1d2e3f4a5b\n", &bindings, firstLine: 20)
        #expect(!wrong.passed)
        #expect(wrong.message == "0bd2b54678c7 was bound to 3bbffb82a12e at line 11; here the output shows 9c1d2e3f4a5b")
        #expect(wrong.firstMismatchLine == 20)
    }

    @Test func sameExampleTwiceInOneCommandMustBeOneValue() throws {
        var bindings = Bindings()
        #expect(try run(["a 0bd2b54678c7", "b 0bd2b54678c7"], "a 3bbffb82a12e\nb 3bbffb82a12e\n", &bindings).passed)
        var fresh = Bindings()
        let result = try run(["a 0bd2b54678c7", "b 0bd2b54678c7"], "a 3bbffb82a12e\nb 9c1d2e3f4a5b\n", &fresh)
        #expect(!result.passed)
        #expect(result.message == "0bd2b54678c7 was bound to 3bbffb82a12e at line 11; here the output shows 9c1d2e3f4a5b")
        #expect(result.firstMismatchLine == 12)
    }

    @Test func twoExamplesMayNotBindOneValue() throws {
        var bindings = Bindings()
        let result = try run(["a 0bd2b54678c7 b 111111111111"], "a 3bbffb82a12e b 3bbffb82a12e\n", &bindings)
        #expect(!result.passed)
        #expect(result.message == "3bbffb82a12e is already bound to the example 0bd2b54678c7 at line 11; the example 111111111111 cannot stand for it too")
    }

    @Test func shortExampleStandsForPrefixOfBoundLongExample() throws {
        var bindings = Bindings()
        #expect(try run(["{\"Id\": \"\(Self.hexA)\"}"], "{\"Id\": \"\(Self.hexB)\"}\n", &bindings).passed)
        #expect(try run(["0bd2b54678c7"], "3bbffb82a12e\n", &bindings, firstLine: 20).passed)
        #expect(bindings.substitute(in: "docker stop 0bd2b54678c7") == "docker stop 3bbffb82a12e")
        #expect(bindings.substitute(in: "docker inspect \(Self.hexA)") == "docker inspect \(Self.hexB)")
        let wrong = try run(["0bd2b54678c7"], "9c1d2e3f4a5b\n", &bindings, firstLine: 30)
        #expect(!wrong.passed)
        #expect(wrong.message?.contains("prefix") == true)
    }

    @Test func longExampleMustExtendBoundShortExample() throws {
        var bindings = Bindings()
        #expect(try run(["0bd2b54678c7"], "3bbffb82a12e\n", &bindings).passed)
        var copy = bindings
        #expect(try run([Self.hexA], Self.hexB + "\n", &copy, firstLine: 20).passed)
        let wrongLong = "9c1d2e3f4a5b" + String(repeating: "c3", count: 26)
        #expect(try !run([Self.hexA], wrongLong + "\n", &bindings, firstLine: 20).passed)
    }

    @Test func sha256ExampleRelatesToTheSameID() throws {
        var bindings = Bindings()
        #expect(try run(["Digest: sha256:\(Self.hexA)"], "Digest: sha256:\(Self.hexB)\n", &bindings).passed)
        #expect(try run([Self.hexA], Self.hexB + "\n", &bindings, firstLine: 20).passed)
        #expect(bindings.substitute(in: "docker rmi sha256:\(Self.hexA)") == "docker rmi sha256:\(Self.hexB)")
    }

    @Test func nonIdentityKindsMatchTheirPatternAndBindNothing() throws {
        var bindings = Bindings()
        let expected = ["0bd2b54678c7   busybox   \"sh\"   42 hours ago   Exited (0) 42 hours ago   323.7 MB"]
        let actual = "3bbffb82a12e   busybox   \"sh\"   3 seconds ago   Up Less than a second   1.2GB\n"
        #expect(try run(expected, actual, &bindings).passed)
        #expect(try !run(["took 150ms"], "took 2s\n", &bindings).passed)
        #expect(try run(["took 150ms"], "took 2s\n", &bindings, kinds: ["duration"]).passed)
        #expect(try run(["at 2026-11-25T08:44:59.05Z"], "at 2027-01-01T00:00:00Z\n", &bindings, kinds: ["timestamp"]).passed)
    }

    @Test func examplesWorkWithColumnTables() throws {
        var bindings = Bindings()
        var options = Fixture.options(ws: true, examples: Self.docker)
        options.ws = true
        let matcher = try Fixture.matcher(
            ["CONTAINER ID   IMAGE     STATUS",
             "0bd2b54678c7   busybox   Up 3 seconds",
             "54bb4e8718e8   busybox   Exited (0) 5 days ago"], options: options)
        let output = "CONTAINER ID   IMAGE     STATUS\n3bbffb82a12e   busybox   Up About a minute\n9c1d2e3f4a5b   busybox   Exited (137) Less than a second ago\n"
        #expect(matcher.match(Array(output.utf8), bindings: &bindings).passed)
        #expect(bindings.substitute(in: "docker rm 0bd2b54678c7 54bb4e8718e8") == "docker rm 3bbffb82a12e 9c1d2e3f4a5b")
    }

    @Test func namesAndUUIDsBind() throws {
        var bindings = Bindings()
        #expect(try run(["backstabbing_ritchie 123e4567-e89b-12d3-a456-426614174000"],
                        "sharp_wescoff 00000000-1111-2222-3333-444444444444\n", &bindings, kinds: ["name", "uuid"]).passed)
        #expect(bindings.substitute(in: "docker logs backstabbing_ritchie; x=123e4567-e89b-12d3-a456-426614174000")
                == "docker logs sharp_wescoff; x=00000000-1111-2222-3333-444444444444")
        #expect(try !run(["backstabbing_ritchie"], "drunk_feynman\n", &bindings, kinds: ["name"], firstLine: 20).passed)
    }

    @Test func tokensNeedWordBoundariesAndLongestWins() {
        let scanner = ExampleScanner(kinds: ["short-id", "id", "sha256", "ago", "status", "size"], library: Fixture.library)
        func tokens(_ text: String) -> [String] {
            let bytes = Array(text.utf8)
            return scanner.tokens(in: bytes).map { "\($0.pattern.name):" + String(decoding: bytes[$0.range], as: UTF8.self) }
        }
        #expect(tokens("Exited (0) 42 hours ago, 81 B") == ["status:Exited (0) 42 hours ago", "size:81 B"])
        #expect(tokens("x0bd2b54678c7 0bd2b54678c7y 0bd2b54678c7.") == ["short-id:0bd2b54678c7"])
        #expect(tokens("sha256:\(Self.hexA)") == ["sha256:sha256:\(Self.hexA)"])
        #expect(tokens("created 2 weeks ago") == ["ago:2 weeks ago"])
    }

    @Test func conflictsWithEarlierCommandsShowInTheDiff() throws {
        var bindings = Bindings()
        #expect(try run(["0bd2b54678c7"], "3bbffb82a12e\n", &bindings).passed)
        let result = try run(["removed 0bd2b54678c7", "done"], "removed 9c1d2e3f4a5b\ndone\n", &bindings, firstLine: 20)
        #expect(!result.passed)
        #expect(Fixture.diffSummary(result) == ["- removed 0bd2b54678c7", "+ removed 9c1d2e3f4a5b", "  done"])
    }

    @Test func examplesAreNotSoughtInAnnotatedLines() throws {
        var bindings = Bindings()
        #expect(try !run(["0bd2b54678c7 (glob)"], "3bbffb82a12e\n", &bindings).passed)
    }
}
