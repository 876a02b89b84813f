import Testing
@testable import TranscriptKit

@Suite struct OptionsTests {
    @Test func parsesEveryOption() throws {
        let options = try Options.parse(#"skip="later" exact ws unordered timeout=2m requires=docker,cmd:jq,root diverges="engine says \"no\"" ignore-exit examples=docker"#,
                                        file: "f.md", line: 3, column: 19)
        #expect(options.skip == SkipReason("later"))
        #expect(options.exact == true && options.ws == true && options.unordered == true && options.ignoreExit == true)
        #expect(options.timeout == .seconds(120))
        #expect(options.requires == [.engine(name: "docker", atLeast: nil), .command("jq"), .root])
        #expect(options.diverges == #"engine says "no""#)
        #expect(options.examples == Options.dockerExampleKinds)
    }

    @Test func terminalAndBackgroundTakeNoValue() throws {
        let options = try Options.parse("terminal background", file: "f.md", line: 1, column: 1)
        #expect(options.runsInTerminal && options.runsInBackground)
        #expect(options.summary == "terminal background")
        #expect(throws: Diagnostic.self) { try Options.parse("terminal=yes", file: "f.md", line: 1, column: 1) }
    }

    @Test func bareSkipHasNoReason() throws {
        let options = try Options.parse("skip", file: "f.md", line: 1, column: 1)
        #expect(options.skip == SkipReason(nil))
    }

    @Test(arguments: [
        ("tiemout=2s", 1, "unknown option 'tiemout'", "did you mean 'timeout'?"),
        ("ws timeout=soon", 4, "'soon' is not a duration", "help: write a duration such as 500ms, 30s or 2m"),
        ("requires=dokcer", 1, "unknown feature 'dokcer' in requires=", "help: features are docker, docker>=VERSION, podman, podman>=VERSION, linux, root, network and cmd:NAME"),
        ("exact=yes", 1, "option 'exact' takes no value", "help: write just 'exact'"),
        ("diverges=\"open", 1, "the quoted value of option 'diverges' is not closed", "help: end the value with a double quote"),
        ("timeout=0s", 1, "'0s' is not a duration", "help: write a duration such as 500ms, 30s or 2m"),
        ("skip = \"later\"", 1, "a space between option 'skip' and its '='", "help: write skip=VALUE without spaces around '='"),
        ("skip= \"later\"", 1, "option 'skip' has '=' but no value", "help: write skip=VALUE without spaces around '='"),
        ("ws =x", 1, "a space between option 'ws' and its '='", "help: write ws=VALUE without spaces around '='"),
        ("requires=linux, root", 1, "an empty feature in requires=", "help: separate features with commas alone, no spaces: requires=linux,root"),
        ("examples=docker,", 1, "an empty kind in examples=", "help: separate kinds with commas alone, no spaces: examples=short-id,id"),
    ])
    func errorsPointAtTheWord(text: String, offset: Int, message: String, help: String) {
        do {
            _ = try Options.parse(text, file: "doc.md", line: 7, column: 10)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.line == 7)
            #expect(error.column == 9 + offset)
            #expect(error.message == message)
            #expect(error.notes.last?.hasSuffix(help.replacingOccurrences(of: "help: ", with: "")) == true)
        }
    }

    @Test func blockOptionsWinOverFileOptions() throws {
        let file = try Options.parse("ws timeout=5s", file: "f", line: 1, column: 1)
        let block = try Options.parse("timeout=1s exact", file: "f", line: 2, column: 1)
        let merged = block.merged(over: file)
        #expect(merged.timeout == .seconds(1))
        #expect(merged.isWhitespaceTolerant && merged.isExact)
    }

    @Test(arguments: [("500ms", 0.5), ("30s", 30.0), ("2m", 120.0), ("1.5s", 1.5), ("2m30s", 150.0), ("1h", 3600.0)])
    func durations(text: String, seconds: Double) throws {
        let d = try #require(Duration.parse(transcript: text))
        #expect(abs(d.seconds - seconds) < 1e-9)
    }

    @Test(arguments: ["", "5", "5x", "s", "1.2.3s"])
    func notDurations(text: String) {
        #expect(Duration.parse(transcript: text) == nil)
    }
}

@Suite struct ConfigurationTests {
    @Test func readsEveryKey() throws {
        let config = try Configuration.parse("""
            shell = "sh"
            timeout = "30s"
            options = "ws"

            [env]
            GREETING = "hello"

            [patterns]
            release = "v[0-9]+\\\\.[0-9]+"

            [docker]
            setup = "fixtures/setup.sh"
            """, path: "transcript.toml")
        #expect(config.shell == "sh")
        #expect(config.timeout == .seconds(30))
        #expect(config.options.isWhitespaceTolerant)
        #expect(config.environment == ["GREETING": "hello"])
        #expect(config.patterns == ["release": "v[0-9]+\\.[0-9]+"])
        #expect(config.patternLines["release"] == 9)
        #expect(config.docker.setup == "fixtures/setup.sh")
    }

    @Test func unknownKeyNamesItsLine() {
        do {
            _ = try Configuration.parse("shell = \"bash\"\n\ntimout = \"1s\"\n", path: "t.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.items.first?.line == 3)
            #expect(error.items.first?.message == "unknown key 'timout'")
            #expect(error.items.first?.notes == ["help: did you mean 'timeout'?"])
        }
    }

    @Test func wrongTypeNamesItsLine() {
        do {
            _ = try Configuration.parse("[env]\nA = \"x\"\nB = 3\n", path: "t.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.items.first?.line == 3)
            #expect(error.items.first?.message == "'B' must be a string, not an integer")
        }
    }

    @Test func syntaxErrorNamesItsLine() {
        do {
            _ = try Configuration.parse("shell = \"bash\"\ntimeout = \n", path: "t.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.items.first?.line == 2)
            #expect(error.items.first?.message.hasPrefix("invalid TOML") == true)
        }
    }
}

@Suite struct SummaryTests {
    @Test func exitCodes() {
        #expect(Summary([FileOutcome(path: "a", status: .passed), FileOutcome(path: "b", status: .skipped(reason: "x"))]).exitCode == 0)
        #expect(Summary([FileOutcome(path: "a", status: .passed), FileOutcome(path: "b", status: .failed)]).exitCode == 1)
        #expect(Summary([FileOutcome(path: "a", status: .failed), FileOutcome(path: "b", status: .invalid)]).exitCode == 2)
    }

    @Test func lastLine() {
        let summary = Summary([FileOutcome(path: "a", status: .passed), FileOutcome(path: "b", status: .invalid),
                               FileOutcome(path: "c", status: .skipped(reason: "r"))])
        #expect(summary.line == "transcripts: 1 passed, 1 failed, 1 skipped")
    }

    @Test func versionsCompareNumerically() {
        #expect(compareVersions("20.10.24", "20.10") == 1)
        #expect(compareVersions("20.10", "20.10.0") == 0)
        #expect(compareVersions("9.1", "20.10") == -1)
    }
}
