import Foundation

/// A prompt the page answers: the program printed `prompt` (the line does not end there; it
/// waits) and the reader typed `answer` and Return. Written in the expected output as the line
/// the terminal showed: `Are you sure you want to continue? [y/N] y`.
package struct PromptAnswer: Sendable, Equatable {
    /// How the prompt ends as the program prints it (`[y/N]`): the harness answers once the
    /// output's unfinished last line ends with it (trailing blanks aside).
    package var shape: [UInt8]
    /// What the reader typed, without the newline.
    package var answer: String
    /// The expected line up to the answer, for messages.
    package var prompt: String
    /// The expected line's source line.
    package var line: Int

    package init(shape: String, answer: String, prompt: String, line: Int) {
        self.shape = Array(shape.utf8)
        self.answer = answer
        self.prompt = prompt
        self.line = line
    }
}

/// The prompt shapes the harness knows: the built-in ones and those of `transcript.toml`'s
/// `prompts`. An expected line that ends with a shape, a space and one word (no blank in it) is
/// a prompt and its answer.
package struct PromptShapes: Sendable, Equatable {
    /// The shapes every file knows.
    package static let builtIn = ["[y/N]", "[Y/n]", "(y/n)", "[yes/no]"]

    package private(set) var shapes: [String]

    /// The built-in shapes and `configured` ones.
    package init(configured: [String] = []) {
        var shapes = Self.builtIn
        for shape in configured where !shapes.contains(shape) { shapes.append(shape) }
        self.shapes = shapes
    }

    /// The answers `command`'s expected output gives, in order.
    package func answers(in command: Command) -> [PromptAnswer] {
        command.expected.compactMap(answer(in:))
    }

    /// The prompt and answer `line` shows, if it shows one. Annotated lines are patterns, not
    /// prompts.
    package func answer(in line: ExpectedLine) -> PromptAnswer? {
        let text = line.text.trimmingTrailingBlanks
        for annotation in LineCompiler.trailingAnnotations where text.hasSuffix(annotation) { return nil }
        guard let space = text.lastIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
        let answer = text[text.index(after: space)...]
        let prompt = text[..<space]
        guard !answer.isEmpty, let shape = shapes.first(where: { prompt.hasSuffix($0) }) else { return nil }
        return PromptAnswer(shape: shape, answer: String(answer), prompt: String(prompt), line: line.line)
    }

    /// Why `shape`, written in `transcript.toml`, cannot be a prompt shape; nil when it can.
    package static func problem(with shape: String) -> (message: String, help: String)? {
        if shape.trimmingCharacters(in: .whitespaces).isEmpty {
            return ("a prompt shape is empty", "write how the prompt ends as the program prints it, e.g. \"Password:\"")
        }
        if shape.contains("\n") || shape.contains("\r") {
            return ("a prompt shape spans lines: '\(shape)'", "write only the end of the prompt's own line")
        }
        if shape.first == " " || shape.first == "\t" || shape.last == " " || shape.last == "\t" {
            return ("prompt shape '\(shape)' starts or ends with a blank",
                    "remove the blanks: the answer follows the shape after one space, and the prompt's trailing blanks do not count")
        }
        return nil
    }
}
