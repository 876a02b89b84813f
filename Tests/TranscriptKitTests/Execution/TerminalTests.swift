import Foundation
import Testing
@testable import TranscriptKit

@Suite struct TerminalRendererTests {
    private func render(_ text: String) -> String {
        var renderer = TerminalRenderer()
        renderer.feed(Array(text.utf8))
        return String(decoding: renderer.text(), as: UTF8.self)
    }

    @Test(arguments: [
        ("a\r\nb\r\n", "a\nb\n"),
        ("abc\rX\r\n", "Xbc\n"),
        ("ab\u{8}c\r\n", "ac\n"),
        ("\u{1B}[?2004h/ # \u{1B}[6npwd\r\n", "/ # pwd\n"),
        ("\u{1B}[1;31mred\u{1B}[0m\n", "red\n"),
        ("\u{1B}]0;title\u{7}shown\n", "shown\n"),
        ("long line\r\u{1B}[Kshort\n", "short\n"),
        ("open", "open\n"),
    ])
    func rendersAsAScreenShows(_ input: String, _ shown: String) {
        #expect(render(input) == shown)
    }
}

@Suite struct TerminalScriptTests {
    private func lines(_ texts: [String]) -> [(text: String, line: Int)] {
        texts.enumerated().map { ($0.element, $0.offset + 10) }
    }

    @Test func linesAfterTheSessionPromptAreTyped() {
        let script = TerminalScript(lines: lines(["banner", "/ # pwd", "/", "# comment", "/ # exit"]),
                                    prompts: SessionPrompt.defaults, leadsSession: true)
        #expect(script.inputs.map(\.text) == ["pwd", "exit"])
        #expect(script.inputs.map(\.line) == [11, 14])
        #expect(!script.endsAtPrompt)
    }

    @Test func aLastBarePromptEndsTheSession() {
        let script = TerminalScript(lines: lines(["root@3f2a1b9c:/# ls", "bin", "root@3f2a1b9c:/#"]),
                                    prompts: SessionPrompt.defaults, leadsSession: true)
        #expect(script.inputs.map(\.text) == ["ls"])
        #expect(script.endsAtPrompt)
    }

    @Test func promptsOfPython() {
        let script = TerminalScript(lines: lines([">>> 1 + 1", "2"]), prompts: SessionPrompt.defaults, leadsSession: true)
        #expect(script.inputs.map(\.text) == ["1 + 1"])
    }

    @Test func aWaitingPromptMatchesItsWholeLine() throws {
        let prompt = try SessionPrompt(#"[/~][^\s#$]* [#$] "#)
        #expect(prompt.isWaiting(Array("/etc #".utf8)))
        #expect(!prompt.isWaiting(Array("/etc # ls".utf8)))
    }
}

@Suite struct TerminalDetectionTests {
    @Test(arguments: [
        ("docker run -it ubuntu sh", true),
        ("docker run -ti --rm ubuntu sh", true),
        ("docker exec -t web ls", true),
        ("docker container exec --tty web sh", true),
        ("docker run --name test -it ubuntu sh", true),
        ("docker run -e A=1 -it ubuntu sh", true),
        ("docker run -dit ubuntu sh", false),
        ("docker run -it -d ubuntu sh", false),
        ("docker run ubuntu ls -t", false),
        ("docker run -i ubuntu cat", false),
        ("docker ps", false),
        ("ls -t", false),
    ])
    func containerCommandsWithATerminal(_ text: String, _ expected: Bool) {
        #expect(TerminalDetection.asksForTerminal(text) == expected)
    }

    @Test(arguments: [
        ("docker exec -it c sh", true),
        ("env PS1='# ' sh -i", true),
        ("PS1='# ' sh -i", false),
        ("if true; then sh; fi", false),
        ("(sh -i)", false),
    ])
    func whoLeadsASession(_ text: String, _ expected: Bool) {
        #expect(TerminalDetection.leadsSession(text) == expected)
    }
}

@Suite struct TerminalSessionTests {
    @Test func typesIntoAShellUnderATerminalInTheFileShell() throws {
        let directory = FileManager.default.temporaryDirectory.path
        var environment = ProcessInfo.processInfo.environment
        environment["PS1"] = "/ # "
        let shell = try ShellSession(configuration: .init(workingDirectory: directory, environment: environment))
        defer { shell.terminate() }
        _ = shell.run("cd /usr", timeout: .seconds(10))
        let script = TerminalScript(lines: [("/ # pwd", 1), ("/usr", 2), ("/ # exit", 3)],
                                    prompts: SessionPrompt.defaults, leadsSession: true)
        var batch = shell.start(terminal: script, command: "busybox sh -i", timeout: .seconds(20))
        var result: CommandResult?
        while let event = batch.next() {
            if case .finished(_, let finished) = event { result = finished }
        }
        let output = String(decoding: result?.output ?? [], as: UTF8.self)
        #expect(output.hasSuffix("/usr # pwd\n/usr\n/usr # exit\n"))
        #expect(result?.exitStatus == 0)
        #expect(shell.run("echo after", timeout: .seconds(10)).output == Array("after\n".utf8))
    }
}
