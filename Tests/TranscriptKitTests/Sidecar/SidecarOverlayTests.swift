import Testing
@testable import TranscriptKit

/// A page as written upstream, with no markup for the harness.
let upstreamPage = """
# Tool

## Examples

```console
$ echo one
one
```

```console
$ echo two
two
```

## Network

```console
$ curl -s https://example.com
ok
```

"""

func page(_ path: String = "docs/tool.md") throws -> Transcript {
    try MarkdownParser.parse(SourceFile(path: path, text: upstreamPage))
}

func sidecar(_ text: String) throws -> Sidecar {
    try Sidecar.parse(text, path: "side/transcript.toml", directory: "side")
}

@Suite struct SidecarOverlayTests {
    @Test func insertsSessionsAndMergesOptions() throws {
        let overlay = try sidecar("""
        options = "ws"
        [[document]]
        path = "tool.md"
        options = "timeout=5s"
        before = '''
        $ echo setup
        setup
        '''
        [[document.block]]
        heading = "Examples"
        index = 2
        options = 'diverges="prints three"'
        after = '''
        $ echo after
        after
        '''
        [[document.block]]
        contains = "curl"
        options = 'skip="needs a network"'
        before = '''
        $ echo fetch-setup
        fetch-setup
        '''
        """)
        #expect(overlay.configuration.options.ws == true)
        let result = try overlay.overlay(try page())
        #expect(result.fileOptions.timeout == .seconds(5))
        #expect(result.blocks.map(\.origin) == ["side/transcript.toml", nil, nil, "side/transcript.toml", "side/transcript.toml", nil])
        #expect(result.blocks.map(\.openingLine) == [5, 5, 10, 13, 20, 17])
        // Sessions keep the sidecar's lines: the command after `before = '''` is on line 6.
        #expect(result.blocks[0].commands.map(\.line) == [6])
        #expect(result.blocks[0].commands[0].expected.map(\.line) == [7])
        #expect(result.blocks[2].options.diverges == "prints three")
        // A block's own sessions are skipped with it, and stand under its heading.
        #expect(result.blocks[4].options.skip == SkipReason("needs a network"))
        #expect(result.blocks[4].heading == "Network")
        #expect(result.blocks[3].options.diverges == nil)
        #expect(result.blocks.filter { $0.origin != nil }.allSatisfy { $0.isHidden })
    }

    @Test func sidecarOptionsWinOverTheBlocksOwn() throws {
        let text = "<!-- transcript: timeout=1s ws -->\n```console\n$ true\n```\n"
        let transcript = try MarkdownParser.parse(SourceFile(path: "p.md", text: text))
        let overlay = try sidecar("[[document]]\npath = \"p.md\"\n[[document.block]]\nline = 2\noptions = \"timeout=9s\"\n")
        let options = try overlay.overlay(transcript).blocks[0].options
        #expect(options.timeout == .seconds(9))
        #expect(options.ws == true)
    }

    @Test func pagesNoEntryNamesAreLeftAlone() throws {
        let overlay = try sidecar("[[document]]\npath = \"other.md\"\n")
        let result = try overlay.overlay(try page())
        #expect(result.blocks.count == 3 && result.blocks.allSatisfy { $0.origin == nil })
    }

    @Test(arguments: [
        ("heading = \"Exemples\"", 4, 1, #"heading "Exemples" has no session block of docs/tool.md under it"#,
         #"help: headings with session blocks: "Examples", "Network""#),
        ("line = 6", 4, 1, "line 6 of docs/tool.md does not open a session block",
         "help: session blocks open at lines 5, 10, 17; or name the block by heading or contains"),
        ("heading = \"examples\"", 4, 1, #"heading = "examples" names 2 session blocks of docs/tool.md (lines 5, 10)"#,
         #"help: add index = N to pick one, or a contains = "..." only its commands hold"#),
        ("heading = \"Examples\"\nindex = 3", 5, 1, #"index = 3, but heading = "Examples" names 2 session blocks of docs/tool.md (lines 5, 10)"#,
         "help: write an index from 1 to 2"),
        ("contains = \"wget\"", 4, 1, #"no command of docs/tool.md contains "wget""#,
         "help: write a text one of the block's commands holds as written in the page"),
    ])
    func blocksThatAreNotThereAreReportedAtTheSidecar(selector: String, line: Int, column: Int, message: String, help: String) throws {
        let overlay = try sidecar("[[document]]\npath = \"docs/*.md\"\n[[document.block]]\n\(selector)\n")
        do {
            _ = try overlay.overlay(try page())
            Issue.record("expected an error for \(selector)")
        } catch let error as Diagnostics {
            let problem = try #require(error.items.first)
            #expect(problem.file == "side/transcript.toml")
            #expect(problem.line == line && problem.column == column)
            #expect(problem.message == message)
            #expect(problem.notes == [help])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func headingsAreComparedWithoutMarkup() {
        #expect(BlockSelector.normalizedHeading(#"<a name="filter"></a> Filtering  (`--filter`)"#) == "filtering (--filter)")
    }

    @Test func documentsThatNameNoPageAreReported() throws {
        let overlay = try sidecar("[[document]]\npath = \"tool.md\"\n\n[[document]]\npath = 'gone.md'\n")
        let problems = overlay.unmatchedDocuments(among: ["docs/tool.md", "docs/other.md"])
        #expect(problems.map(\.description) == [
            """
            side/transcript.toml:5:9: error: path "gone.md" names no page of this run
              help: the page may have been renamed or removed: fix the glob, or remove the [[document]] entry
            """,
        ])
    }
}
