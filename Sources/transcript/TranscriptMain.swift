import ArgumentParser
import Foundation
import TranscriptKit

/// Entry point: parses arguments and maps every way of failing to the harness's exit codes
/// (0 passed, 1 a transcript failed, 2 bad input).
@main
enum TranscriptMain {
    static func main() {
        do {
            var command = try Root.parseAsRoot()
            try command.run()
            Interruption.exit(0)
        } catch let code as ExitCode {
            Interruption.exit(code.rawValue)
        } catch {
            let status = Root.exitCode(for: error)
            if status == .success {
                print(Root.fullMessage(for: error))
                Interruption.exit(0)
            }
            var message = Root.fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst(7) }
            FileHandle.standardError.write(Data(("transcript: " + message + "\n").utf8))
            FileHandle.standardError.write(Data("Run 'transcript help' for usage.\n".utf8))
            // `run` and `update` end with their summary line whatever happens: nothing ran. A
            // run asked for a machine format gets that format's document, with the error in it.
            let arguments = Array(CommandLine.arguments.dropFirst())
            if arguments.first == "run" {
                RunInvocation.refuseCommandLine(String(message.dropFirst(message.hasPrefix("error: ") ? 7 : 0)), arguments: arguments)
            } else if arguments.first == "update" {
                FileHandle.standardOutput.write(Data("transcripts: 0 passed, 0 failed, 0 skipped\n".utf8))
            }
            Interruption.exit(2)
        }
    }
}

struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript",
        abstract: "Run the shell sessions written in Markdown documents and check what they print.",
        discussion: """
        A transcript is a Markdown file whose ```console blocks hold commands ($ CMD) and the output they print. `transcript run` runs them, in one shell per file, and reports line by line where the document and the program part.

        Exit status: 0 every transcript passed (skips allowed), 1 a transcript failed, 2 bad input (a transcript, configuration or flag the harness cannot accept).

        Shell completion: transcript --generate-completion-script bash|zsh|fish (see the README for where each goes).
        """,
        version: TranscriptVersion.string,
        subcommands: [RunCommand.self, UpdateCommand.self, RecordCommand.self, ListCommand.self, PatternsCommand.self, ConvertCommand.self],
        defaultSubcommand: nil
    )
}
