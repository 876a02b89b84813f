@testable import TranscriptKit

/// Shared fixtures for the matching tests.
enum Fixture {
    static let library: PatternLibrary = {
        do {
            return try PatternLibrary()
        } catch {
            fatalError("the built-in patterns must compile: \(error)")
        }
    }()

    /// A command whose expected lines start at Markdown line `firstLine`, indented by `column - 1`.
    static func command(_ expected: [String], firstLine: Int = 11, column: Int = 1, text: String = "cmd") -> Command {
        Command(line: firstLine - 1, column: 1, text: text, lastLine: firstLine - 1,
                expected: expected.enumerated().map { ExpectedLine(text: $0.element, line: firstLine + $0.offset, column: column) },
                outputLines: firstLine..<(firstLine + expected.count))
    }

    static func options(exact: Bool = false, ws: Bool = false, unordered: Bool = false, examples: [String]? = nil) -> Options {
        var options = Options()
        if exact { options.exact = true }
        if ws { options.ws = true }
        if unordered { options.unordered = true }
        options.examples = examples
        return options
    }

    static func matcher(_ expected: [String], options: Options = Options(), known: Set<String> = [],
                        firstLine: Int = 11, column: Int = 1) throws -> OutputMatcher {
        var known = known
        return try OutputMatcher(command: command(expected, firstLine: firstLine, column: column), options: options,
                                 library: library, file: "doc.md", knownVariables: &known)
    }

    /// Matches `output` against `expected` with fresh bindings.
    static func run(_ expected: [String], _ output: String, options: Options = Options()) throws -> MatchResult {
        var bindings = Bindings()
        return try matcher(expected, options: options).match(Array(output.utf8), bindings: &bindings)
    }

    static func passes(_ expected: [String], _ output: String, options: Options = Options()) throws -> Bool {
        try run(expected, output, options: options).passed
    }

    /// The diagnostics compiling `expected` produces (empty if it compiles).
    static func diagnostics(_ expected: [String], options: Options = Options(), known: Set<String> = [],
                            capturedEarlierInBlock: Set<String> = [], column: Int = 1) -> [Diagnostic] {
        var known = known
        do {
            _ = try OutputMatcher(command: command(expected, column: column), options: options, library: library,
                                  file: "doc.md", knownVariables: &known, capturedEarlierInBlock: capturedEarlierInBlock)
            return []
        } catch {
            return error.items
        }
    }

    static func diffSummary(_ result: MatchResult) -> [String] {
        result.diff.map { line in
            switch line.kind {
            case .same: return "  " + line.text
            case .expected: return "- " + line.text
            case .actual: return "+ " + line.text
            case .omitted: return "@ " + line.text
            }
        }
    }
}
