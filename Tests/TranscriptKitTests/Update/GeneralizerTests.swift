import Testing
@testable import TranscriptKit

@Suite struct GeneralizerTests {
    static let id = "54bb4e8718e8600d78a5d7c62ce9a4b4b9bd8d87b10d6b4a2e0b3c1e2a3f4d5c"

    func generalize(_ commands: [(String, String, Int32)], taken: Set<String> = []) -> Generalizer.Result {
        Generalizer(library: Fixture.library, takenNames: taken)
            .generalize(commands.map { RecordedCommand(text: $0.0, output: Array($0.1.utf8), exitStatus: $0.2) })
    }

    @Test func anIDPrintedAgainIsCapturedAndReused() {
        let result = generalize([
            ("docker run -d busybox sleep 60", Self.id + "\n", 0),
            ("docker ps -q --no-trunc", Self.id + "\n", 0),
            ("docker rm -f " + Self.id, Self.id + "\n", 0),
            ("docker stop 54bb4e8718e8", "Error: No such container: 54bb4e8718e8\n", 1),
        ])
        #expect(result.lines == [
            "$ docker run -d busybox sleep 60",
            "{{ID1=id}}",
            "$ docker ps -q --no-trunc",
            "{{$ID1}}",
            "$ docker rm -f $ID1",
            "{{$ID1}}",
            "$ docker stop ${ID1:0:12}",
            "Error: No such container: {{short-id}}",
            "[1]",
        ])
        #expect(!result.needsWhitespaceTolerance)
    }

    @Test func anIDTypedBeforeItIsPrintedStaysLiteral() {
        let result = generalize([
            ("echo 4e3f2a1b0c9d", "4e3f2a1b0c9d\n", 0),
            ("echo 4e3f2a1b0c9d again", "4e3f2a1b0c9d again\n", 0),
        ])
        #expect(result.lines == ["$ echo 4e3f2a1b0c9d", "{{short-id}}", "$ echo 4e3f2a1b0c9d again", "{{short-id}} again"])
    }

    @Test func variableNamesAvoidTheDocumentsOwn() {
        let result = generalize([("a", "4e3f2a1b0c9d\n", 0), ("b", "4e3f2a1b0c9d\n", 0)], taken: ["ID1"])
        #expect(result.lines == ["$ a", "{{ID2=short-id}}", "$ b", "{{$ID2}}"])
    }

    @Test func dockerImagesTable() {
        let output = """
        REPOSITORY   TAG       IMAGE ID       CREATED        SIZE
        busybox      latest    0e6f2a5d3c1b   2 weeks ago    4.26MB
        training     v1        9c1d2e3f4a5b   About a minute ago   81 B

        """
        let result = generalize([("docker images", output, 0)])
        #expect(result.lines == [
            "$ docker images",
            "REPOSITORY   TAG       IMAGE ID       CREATED        SIZE",
            "busybox      latest    {{short-id}}   {{ago}}    {{size}}",
            "training     v1        {{short-id}}   {{ago}}   {{size}}",
        ])
        #expect(result.needsWhitespaceTolerance)
    }

    @Test func dockerPsTable() {
        let output = """
        CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS                     PORTS     NAMES
        3bbffb82a12e   busybox   "sleep 60"    5 seconds ago   Up 4 seconds                         backstabbing_ritchie
        0bd2b54678c7   busybox   "true"        1 minute ago    Exited (0) 58 seconds ago            web

        """
        let result = generalize([("docker ps -a", output, 0)])
        #expect(result.lines.dropFirst(2) == [
            "{{short-id}}   busybox   \"sleep 60\"    {{ago}}   {{status}}                         {{name}}",
            "{{short-id}}   busybox   \"true\"        1 minute ago    {{status}}            web",
        ])
    }

    /// Plain numbers, sizes outside tables and words stay as they are.
    @Test(arguments: [
        "42 MB free, 12 files",
        "version 20.10.24",
        "1234567890123",
        "deadbeefcafe0",
        "build 202611251026",
        "Up 3 seconds",
    ])
    func conservative(line: String) {
        #expect(generalize([("cmd", line + "\n", 0)]).lines == ["$ cmd", line])
    }

    @Test func timesDigestsAndEscapes() {
        let result = generalize([
            ("x", "at 2026-11-25T08:44:59.05Z: sha256:\(Self.id)\n{{raw}} created 3 hours ago\n$ not a command\n", 0),
            ("y", "> first\nno end", 0),
        ])
        #expect(result.lines == [
            "$ x",
            "at {{timestamp}}: {{sha256}}",
            "\\{{raw}} created {{ago}}",
            "\\x24 not a command (esc)",
            "$ y",
            "\\x3e first (esc)",
            "no end (no-eol)",
        ])
    }

    @Test(arguments: [
        ("docker ps", true), ("sudo docker ps", true), ("ls; docker images", true), ("x=$(docker create busybox)", true),
        ("echo docker", false), ("dockerd --version", false), ("my-docker ps", false), ("ls", false),
    ])
    func usesDocker(command: String, uses: Bool) {
        #expect(DockerEngineKind.isUsed(by: command) == uses)
        #expect(Recorder.enginesUsed(by: [command]) == (uses ? ["docker"] : []))
    }

    @Test func recordedBlocks() {
        #expect(Recorder.block(["$ echo hi", "hi"], options: ["requires=docker", "ws"], ending: "\n")
                == "<!-- transcript: requires=docker ws -->\n```console\n$ echo hi\nhi\n```\n")
        #expect(Recorder.block(["$ printf '````'", "````"], options: [], ending: "\r\n")
                == "`````console\r\n$ printf '````'\r\n````\r\n`````\r\n")
        #expect(Recorder.appending("B\n", to: "# T", ending: "\n") == "# T\n\nB\n")
        #expect(Recorder.appending("B\n", to: "# T\n\n", ending: "\n") == "# T\n\nB\n")
        #expect(Recorder.appending("B\n", to: "", ending: "\n") == "B\n")
    }
}
