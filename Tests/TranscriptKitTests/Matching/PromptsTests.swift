import Testing
@testable import TranscriptKit

@Suite struct PromptsTests {
    private func answer(_ text: String, configured: [String] = []) -> PromptAnswer? {
        PromptShapes(configured: configured).answer(in: ExpectedLine(text: text, line: 7, column: 1))
    }

    @Test(arguments: [
        ("Are you sure you want to continue? [y/N] y", "[y/N]", "y", "Are you sure you want to continue? [y/N]"),
        ("Overwrite? [Y/n] n  ", "[Y/n]", "n", "Overwrite? [Y/n]"),
        ("Proceed (y/n) y", "(y/n)", "y", "Proceed (y/n)"),
        ("Really? [yes/no] yes", "[yes/no]", "yes", "Really? [yes/no]"),
    ])
    func builtInShapesAreAnswered(line: String, shape: String, typed: String, prompt: String) throws {
        let found = try #require(answer(line))
        #expect(found.shape == Array(shape.utf8))
        #expect(found.answer == typed)
        #expect(found.prompt == prompt)
        #expect(found.line == 7)
    }

    @Test(arguments: [
        "Continue? [y/N]",                  // the prompt with no answer: the program met the input's end
        "Use [y/N] to confirm",             // more than one word after the shape
        "Continue? [y/N] y (re)",           // a pattern, not a prompt
        "Continue? [y/N] y (no-eol)",
        "Name: Ada",                        // not a shape unless configured
        "plain output",
    ])
    func otherLinesAreOutput(line: String) {
        #expect(answer(line) == nil)
    }

    @Test func configuredShapesAreAnswered() throws {
        let found = try #require(answer("Name: Ada", configured: ["Name:"]))
        #expect(found.answer == "Ada" && found.prompt == "Name:")
    }

    @Test func aCommandsAnswersComeInOrder() {
        let command = Command(line: 1, column: 1, text: "x", lastLine: 1, expected: [
            ExpectedLine(text: "One? [y/N] y", line: 2, column: 1),
            ExpectedLine(text: "between", line: 3, column: 1),
            ExpectedLine(text: "Two? (y/n) n", line: 4, column: 1),
        ], outputLines: 2..<5)
        #expect(PromptShapes().answers(in: command).map(\.answer) == ["y", "n"])
    }

    @Test(arguments: ["", "  ", "Name: ", " Name:", "a\nb"])
    func badShapesAreRefused(shape: String) {
        #expect(PromptShapes.problem(with: shape) != nil)
    }

    @Test func configurationReadsPrompts() throws {
        let config = try Configuration.parse("prompts = [\"Password:\", \"Name:\"]\n", path: "t.toml")
        #expect(config.prompts == ["Password:", "Name:"])
    }

    @Test(arguments: [("prompts = \"Name:\"\n", "'prompts' must be an array of strings"),
                      ("\nprompts = [\"Name: \"]\n", "prompt shape 'Name: ' starts or ends with a blank")])
    func badPromptsAreErrorsAtTheirLine(text: String, message: String) {
        do {
            _ = try Configuration.parse(text, path: "t.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.items.first?.message == message)
            #expect(error.items.first?.line == (text.hasPrefix("\n") ? 2 : 1))
        }
    }
}
