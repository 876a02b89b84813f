import Foundation
import Testing
@testable import TranscriptKit

@Suite struct StyleTests {
    /// A descriptor that is no terminal: a pipe's write end.
    static func pipeDescriptor() -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        return (fds[0], fds[1])
    }

    @Test(arguments: [
        (ColorChoice.always, [String: String](), true),
        (.always, ["NO_COLOR": "1", "TERM": "dumb"], true),
        (.never, [:], false),
        (.auto, [:], false),
        (.auto, ["TERM": "xterm"], false),
    ])
    func choiceIntoAPipe(choice: ColorChoice, environment: [String: String], colored: Bool) {
        let (read, write) = Self.pipeDescriptor()
        defer { close(read); close(write) }
        let style = Style.detect(environment: environment, choice: choice, descriptor: write)
        #expect(style.color == colored)
        #expect(!style.terminal)
        #expect(style.red("x") == (colored ? "\u{1B}[31mx\u{1B}[0m" : "x"))
    }

    @Test func diffLinesInColor() {
        let source = SourceFile(path: "a.md", absolutePath: "/a.md", text: "```console\n$ echo hi\nho\n```\n")
        let change = CommandChange(blockIndex: 0, commandIndex: 0, commandLine: 2, commandText: "echo hi", lines: 3..<4,
                                   replacement: ["hi"], expectedContents: ["hi"], expectedStatus: nil)
        let plain = UnifiedDiff.hunks([change], in: source)
        #expect(plain == "@@ -1,4 +1,4 @@\n ```console\n $ echo hi\n-ho\n+hi\n ```\n")
        let colored = UnifiedDiff.hunks([change], in: source, style: Style(color: true))
        #expect(colored == "\u{1B}[36m@@ -1,4 +1,4 @@\u{1B}[0m\n ```console\n $ echo hi\n\u{1B}[31m-ho\u{1B}[0m\n\u{1B}[32m+hi\u{1B}[0m\n ```\n")
    }
}
