import Testing
@testable import TranscriptKit

/// The rules that tell a varying value from text: temporary paths, git hashes, dates, durations,
/// and what a second run's differences turn into.
@Suite struct GeneralizerRulesTests {
    static let tmp = "/tmp/transcript-1-abc"

    func lines(_ command: String, _ output: String, variables: [String: String] = [:]) -> [String] {
        let result = Generalizer(library: Fixture.library, variables: variables)
            .generalize([RecordedCommand(text: command, output: Array(output.utf8), exitStatus: 0)])
        return Array(result.lines.dropFirst())
    }

    @Test func theTemporaryDirectoryIsAVariableWhereItIsAWholePath() {
        let variables = ["TMPDIR": Self.tmp, "TRANSCRIPT_DIR": "/home/u/docs"]
        #expect(lines("pwd", "\(Self.tmp)/repo\nin \(Self.tmp).\n\(Self.tmp)x\n/home/u/docs/a.md\n", variables: variables) == [
            "{{$TMPDIR}}/repo", "in {{$TMPDIR}}.", "\(Self.tmp)x", "{{$TRANSCRIPT_DIR}}/a.md",
        ])
        #expect(lines("pwd", "/\n", variables: ["TRANSCRIPT_DIR": "/"]) == ["/"])
    }

    @Test func gitHashesInGitOutput() {
        let full = "3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a"
        #expect(lines("git log", "commit \(full)\nDate:   Wed Dec 2 14:37:30 2026 +0000\n\n    fix deadbeef\n") == [
            "commit {{git-hash}}", "Date:   {{zoned-time}}", "", "    fix deadbeef",
        ])
        #expect(lines("cd r && git commit -m x", "[main (root-commit) 3f2a1b0] x\n") == ["[main (root-commit) {{git-hash}}] x"])
        // Not a git command: 7 hex digits stay, and so does a word of hex letters anywhere.
        #expect(lines("echo 3f2a1b0", "3f2a1b0\n") == ["3f2a1b0"])
        #expect(lines("git log --oneline", "1234567 deadbeef\n") == ["1234567 deadbeef"])
    }

    /// A word of hex letters, a number, or a hex run that is prose stays literal.
    @Test(arguments: ["deadbeef", "deadbeefcafe", "the decade faded", "1234567", "build 202611251026"])
    func proseStaysLiteral(line: String) {
        #expect(lines("git show", line + "\n") == [line])
        #expect(lines("echo", line + "\n") == [line])
    }

    @Test(arguments: [
        ("Wed Dec  2 14:37:30 UTC 2026", "{{zoned-time}}"),
        ("Wed, 02 Dec 2026 14:37:30 +0000", "{{zoned-time}}"),
        ("2026-12-02T14:37:30Z", "{{timestamp}}"),
        ("2026-12-02 14:37:30+00:00", "{{datetime}}"),
        ("at 2026-12-02 14:37:30.5", "at {{datetime}}"),
        ("-rw-r--r-- 1 root root 0 Dec  2 14:37 f", "-rw-r--r-- 1 root root 0 {{ls-date}} f"),
        ("-rw-r--r-- 1 root root 0 Mar 10  2021 old", "-rw-r--r-- 1 root root 0 Mar 10  2021 old"),
    ])
    func dates(line: String, expected: String) {
        #expect(lines("date", line + "\n") == [expected])
    }

    @Test(arguments: [
        ("done in 1.23s", "done in {{duration}}"),
        ("12ms", "{{duration}}"),
        ("real\t0m0.003s", "real\t{{duration}}"),
        ("took 3 seconds", "took {{int}} seconds"),
        ("Finished in 0.5 seconds", "Finished in {{number}} seconds"),
        ("took 5s", "took {{duration}}"),
        ("timeout 5s", "timeout 5s"),
        ("sleep 3 seconds", "sleep 3 seconds"),
        ("retry after 2m", "retry after 2m"),
    ])
    func durations(line: String, expected: String) {
        #expect(lines("run", line + "\n") == [expected])
    }

    func compare(_ a: String, _ b: String) -> [OutputVariation.Finding] {
        let comparer = OutputVariation(generalizer: Generalizer(library: Fixture.library))
        let variables = (first: ["TMPDIR": "/tmp/t-1"], second: ["TMPDIR": "/tmp/t-22"])
        guard case .success(let findings) = comparer.compare(Array(a.utf8), Array(b.utf8), variables: variables) else { return [] }
        return findings
    }

    @Test func aValueOfOneKindThatChangedIsCertain() {
        let findings = compare("pid 41 at /tmp/t-1/x\nsame\nid 3f2a1b0c9d8e\n", "pid 4242 at /tmp/t-22/x\nsame\nid 0a1b2c3d4e5f\n")
        #expect(findings.map(\.line) == [0, 2])
        #expect(findings.map(\.certain) == [true, true])
        #expect(findings.first?.first == "pid 41 at {{$TMPDIR}}/x")
        #expect(findings.first?.tokens.map(\.placeholder) == ["{{int}}"])
        #expect(findings.last?.tokens.map(\.placeholder) == ["{{short-id}}"])
    }

    @Test func aChangedWordIsASuggestion() {
        let findings = compare("/tmp/t-1/tmp.QGw25QoldL\nfirst\n", "/tmp/t-22/tmp.91NjaQkWdU\nagain!\n")
        #expect(findings.map(\.certain) == [false, false])
        #expect(findings.first?.tokens.map(\.placeholder) == ["{{$TMPDIR}}", "{{/\\w{10}/}}"])
        #expect(findings.last?.tokens.map(\.placeholder) == ["{{any}}"])
    }

    @Test func aChangedLineCountIsNoFinding() {
        let comparer = OutputVariation(generalizer: Generalizer(library: Fixture.library))
        let result = comparer.compare(Array("1\n".utf8), Array("1\n2\n".utf8), variables: ([:], [:]))
        guard case .failure(let counts) = result else { Issue.record("expected a line-count difference"); return }
        #expect((counts.first, counts.second) == (1, 2))
    }

    @Test func builtInVariablesCompileWithoutACapture() throws {
        let source = SourceFile(path: "t.md", absolutePath: "/t.md", text: "```console\n$ pwd\n{{$TMPDIR}}\n```\n")
        let transcript = try MarkdownParser.parse(source)
        let plan = FilePlan.compile(transcript, configuration: Configuration(), library: Fixture.library, timeoutFlag: nil)
        guard case .success = plan else { Issue.record("{{$TMPDIR}} should compile"); return }
    }
}
