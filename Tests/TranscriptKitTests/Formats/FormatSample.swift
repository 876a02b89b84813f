@testable import TranscriptKit

/// A document in one format with everything a format must find in it, for the contract tests
/// every `DocumentFormat` passes (`FormatContractTests`).
struct FormatSample: Sendable, CustomStringConvertible {
    /// A command the format must find, with its expectation.
    struct ExpectedCommand: Sendable {
        var line: Int
        var column: Int
        var text: String
        var output: [String]
        var status: Int32?
    }

    /// A block the format must find.
    struct ExpectedBlock: Sendable {
        var openingLine: Int
        var closingLine: Int
        var isHidden = false
        var options = Options()
        var commands: [ExpectedCommand]
    }

    /// A content line a block must refuse as written: it would read back as something else.
    struct Misread: Sendable {
        var block: Int
        var line: String
    }

    var format: any DocumentFormat
    var path: String
    var text: String
    var blocks: [ExpectedBlock]
    var misreads: [Misread]
    /// A broken document and where its first error is.
    var broken: (text: String, line: Int, column: Int)
    /// Whether a block the format renders keeps its options (a `.t` file has none).
    var carriesOptions = true
    /// Whether a block holds one command, every line after it its output (scrut's).
    var oneCommandPerBlock = false

    var description: String { format.name }
}

extension FormatSample {
    /// Markdown: fences of backticks and tildes, a hidden session, an option comment, a block
    /// in a block quote, a continuation line, an exit status.
    static let markdown = FormatSample(
        format: MarkdownFormat(),
        path: "sample.md",
        text: """
        # Sample

        ```console
        $ echo hi
        hi
        $ false
        [1]
        ```

        <!-- transcript
        $ cd /tmp
        -->

        <!-- transcript: exact -->
        ~~~~ console
        $ printf 'a\\nb\\n' \\
        > | cat
        a
        b
        ~~~~

        > ```sh-session
        > $ echo quoted
        > quoted
        > ```

        """,
        blocks: [
            ExpectedBlock(openingLine: 3, closingLine: 8, commands: [
                ExpectedCommand(line: 4, column: 1, text: "echo hi", output: ["hi"], status: nil),
                ExpectedCommand(line: 6, column: 1, text: "false", output: [], status: 1),
            ]),
            ExpectedBlock(openingLine: 10, closingLine: 12, isHidden: true, commands: [
                ExpectedCommand(line: 11, column: 1, text: "cd /tmp", output: [], status: nil),
            ]),
            ExpectedBlock(openingLine: 15, closingLine: 20, options: exactOptions, commands: [
                ExpectedCommand(line: 16, column: 1, text: "printf 'a\\nb\\n' \\\n| cat", output: ["a", "b"], status: nil),
            ]),
            ExpectedBlock(openingLine: 22, closingLine: 25, commands: [
                ExpectedCommand(line: 23, column: 3, text: "echo quoted", output: ["quoted"], status: nil),
            ]),
        ],
        misreads: [
            Misread(block: 0, line: "```"), Misread(block: 0, line: "  ````  "),
            Misread(block: 1, line: "-->"), Misread(block: 1, line: "a --> b"),
            Misread(block: 2, line: "~~~~~"),
        ],
        broken: (text: "Text\n\n  ```console\n  $ true\n", line: 3, column: 3))

    private static var exactOptions: Options {
        var options = Options()
        options.exact = true
        return options
    }
}

extension FormatSample {
    /// cram's `.t`: prose, indented sessions, a continuation, `$` alone as output, an empty
    /// output line written as the indent, an exit status.
    static let cram = FormatSample(
        format: CramFormat(),
        path: "sample.t",
        text: """
        Prose first.

          $ echo hi
          hi
          $ false
          [1]
        More prose.
          $ for x in a; do
          >   echo "$x"
          > done
          a
          $
          
          $ true

        """,
        blocks: [
            ExpectedBlock(openingLine: 3, closingLine: 7, options: Options(), commands: [
                ExpectedCommand(line: 3, column: 3, text: "echo hi", output: ["hi"], status: nil),
                ExpectedCommand(line: 5, column: 3, text: "false", output: [], status: 1),
            ]),
            ExpectedBlock(openingLine: 8, closingLine: 15, options: Options(), commands: [
                ExpectedCommand(line: 8, column: 3, text: "for x in a; do\n  echo \"$x\"\ndone", output: ["a", "$", ""], status: nil),
                ExpectedCommand(line: 14, column: 3, text: "true", output: [], status: nil),
            ]),
        ],
        misreads: [],
        broken: (text: "Prose\n\n  output with no command\n", line: 3, column: 3),
        carriesOptions: false)
}

extension FormatSample {
    /// scrut's Markdown: a scrut block with a comment and configuration, a console block that
    /// is not a session here, a continuation, an exit status, a `%` setting and a line shaped
    /// like a command that is output (one command per block).
    static let scrut = FormatSample(
        format: ScrutFormat(),
        path: "sample.md",
        text: """
        # Sample

        ```scrut
        # a comment
        $ echo hi
        hi (eq)
        ```

        ```console
        $ not a session
        ```

        ```scrut {timeout: 5s, output_stream: combined}
        $ printf 'a\\n' \\
        > | cat
        a (regex+)
        [2]
        ```

        ```scrut
        % output_stream: combined
        $ echo one
        $ echo two
        ```

        """,
        blocks: [
            ExpectedBlock(openingLine: 3, closingLine: 7, options: scrutOptions(), commands: [
                ExpectedCommand(line: 5, column: 1, text: "echo hi", output: ["hi (eq)"], status: nil),
            ]),
            ExpectedBlock(openingLine: 13, closingLine: 18, options: scrutOptions(timeout: true), commands: [
                ExpectedCommand(line: 14, column: 1, text: "printf 'a\\n' \\\n| cat", output: ["a (regex+)"], status: 2),
            ]),
            ExpectedBlock(openingLine: 20, closingLine: 24, options: scrutOptions(combined: true), commands: [
                ExpectedCommand(line: 22, column: 1, text: "echo one", output: ["$ echo two"], status: nil),
            ]),
        ],
        misreads: [Misread(block: 0, line: "```")],
        broken: (text: "```scrut {timeot: 5s}\n$ true\n```\n", line: 1, column: 11),
        carriesOptions: false,
        oneCommandPerBlock: true)

    private static func scrutOptions(timeout: Bool = false, combined: Bool = false) -> Options {
        var options = Options()
        options.dialect = .scrut(keepCRLF: false)
        options.scrutCase = ScrutCase(stream: .stdout)
        if timeout { options.timeout = .seconds(5) }
        if timeout || combined { options.scrutCase?.stream = .combined }
        return options
    }
}
