import Testing
@testable import TranscriptKit

@Suite struct SidecarReaderTests {
    @Test(arguments: [
        ("[[document]\npath = \"a.md\"\n", "side/transcript.toml:1:12: error: invalid TOML"),
        ("[[document]]\npath = \"a.md\"\noption = \"ws\"\n", "side/transcript.toml:3:1: error: unknown key 'option' in [[document]]\n  help: did you mean 'options'?"),
        ("[[document]]\npath = \"a.md\"\n[[document.block]]\nheding = \"x\"\n",
         "side/transcript.toml:4:1: error: unknown key 'heding' in [[document.block]]\n  help: did you mean 'heading'?"),
        ("[[document]]\noptions = \"ws\"\n", "side/transcript.toml:1:1: error: a [[document]] entry without path"),
        ("[[document]]\npath = 3\n", "side/transcript.toml:2:1: error: 'path' must be a string, not an integer"),
        ("[[document]]\npath = \"a.md\"\n[[document.block]]\noptions = \"ws\"\n", "side/transcript.toml:3:1: error: a [[document.block]] entry that names no block"),
        ("[[document]]\npath = \"a.md\"\n[[document.block]]\nline = 0\n", "side/transcript.toml:4:1: error: 'line' must be a positive integer"),
        ("[[document]]\npath = \"a.md\"\noptions = \"ws tiemout=1s\"\n", "side/transcript.toml:3:15: error: unknown option 'tiemout'"),
        ("[[document]]\npath = \"a.md\"\nbefore = '''\nls\n$ ls\n'''\n", "side/transcript.toml:4:1: error: text before the first command of a session block"),
        ("[[document]]\npath = \"a.md\"\nafter = '''\n'''\n", "side/transcript.toml:3:1: error: 'after' holds no `$ ` command"),
        ("upstream = 1\n[[document]]\npath = \"a.md\"\n", "side/transcript.toml:1:1: error: 'upstream' must be a directory's path as a string"),
        ("timout = \"1s\"\n[[document]]\npath = \"a.md\"\n", "side/transcript.toml:1:1: error: unknown key 'timout'\n  help: did you mean 'timeout'?"),
        ("options = \"ws\"\n", "side/transcript.toml:1:1: error: the sidecar has no [[document]] entry"),
    ])
    func problemsPointAtTheSidecar(text: String, expected: String) {
        do {
            _ = try Sidecar.parse(text, path: "side/transcript.toml", directory: "side")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func sessionLinesAreTheSidecarsOwn() throws {
        let text = """
        [[document]]
        path = "a.md"
        before = '''
        $ echo '[docker]'
        [docker]
        $ false
        [1]
        '''
        after = '''$ echo same-line'''
        """
        let document = try #require(try Sidecar.parse(text, path: "s.toml", directory: ".").documents.first)
        let before = try #require(document.before)
        #expect(before.openingLine == 3 && before.closingLine == 8)
        #expect(before.commands.map(\.line) == [4, 6])
        #expect(before.commands[0].expected.map(\.text) == ["[docker]"])
        #expect(before.commands[1].exitStatus?.status == 1)
        let after = try #require(document.after)
        #expect(after.commands.map(\.line) == [9])
        #expect(after.commands.map(\.column) == [12])
    }

    @Test func upstreamIsRelativeToTheSidecar() throws {
        let overlay = try Sidecar.parse("upstream = \"../pages\"\n[[document]]\npath = \"a.md\"\n", path: "/x/side/transcript.toml",
                                        directory: "/x/side")
        #expect(overlay.upstream == "/x/pages")
        #expect(overlay.upstreamPosition?.line == 1)
    }

    @Test(arguments: [
        ("tool.md", "docs/tool.md", true),
        ("tool.md", "tool.md", true),
        ("tool.md", "docs/mytool.md", false),
        ("*.md", "a/b/c.md", true),
        ("commandline/*.md", "docs/reference/commandline/wait.md", true),
        ("commandline/*.md", "docs/commandline/x/wait.md", false),
        ("docs/**/wait.md", "docs/a/b/wait.md", true),
        ("docs/**/wait.md", "docs/wait.md", true),
        ("container_?ait.md", "container_wait.md", true),
        ("image (1).md", "x/image (1).md", true),
    ])
    func globsMatchThePathsLastParts(glob: String, path: String, matches: Bool) throws {
        let pattern = try PathGlob(glob)
        #expect(pattern.matches(path) == matches)
    }
}

@Suite struct NetworkAccessTests {
    @Test func privateEnginesHaveNoNetwork() {
        #expect(NetworkAccess.unavailableReason(engineMode: .private, environment: [:], hasDefaultRoute: { true })
                == "requires network: a private engine has no network (--engine host runs against your own)")
        #expect(NetworkAccess.unavailableReason(engineMode: .host, environment: [:], hasDefaultRoute: { true }) == nil)
        #expect(NetworkAccess.unavailableReason(engineMode: nil, environment: [:], hasDefaultRoute: { true }) == nil)
    }

    @Test func theRouteOrTheVariableDecides() {
        #expect(NetworkAccess.unavailableReason(engineMode: nil, environment: [:], hasDefaultRoute: { false })
                == "requires network: the host has no default route")
        #expect(NetworkAccess.unavailableReason(engineMode: nil, environment: ["TRANSCRIPT_NETWORK": "off"], hasDefaultRoute: { true })
                == "requires network: TRANSCRIPT_NETWORK=off")
        #expect(NetworkAccess.unavailableReason(engineMode: nil, environment: ["TRANSCRIPT_NETWORK": "on"], hasDefaultRoute: { false }) == nil)
        #expect(NetworkAccess.unavailableReason(engineMode: .private, environment: ["TRANSCRIPT_NETWORK": "on"], hasDefaultRoute: { true }) != nil)
    }

    @Test func defaultRoutesAreReadFromTheKernelsTables() {
        let header = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n"
        #expect(NetworkAccess.hasDefaultRoute(ipv4: header + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n", ipv6: ""))
        #expect(!NetworkAccess.hasDefaultRoute(ipv4: header + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n", ipv6: ""))
        let v6 = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
        #expect(NetworkAccess.hasDefaultRoute(ipv4: header, ipv6: v6))
        #expect(!NetworkAccess.hasDefaultRoute(ipv4: header, ipv6: v6.replacingOccurrences(of: "eth0", with: "lo")))
    }

    @Test func networkIsAFeature() throws {
        #expect(try Options.parse("requires=docker,network", file: "f", line: 1, column: 1).requires
                == [.engine(name: "docker", atLeast: nil), .network])
    }
}
