import ArgumentParser
import TranscriptKit

@main
struct TranscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transcript", abstract: "Run the shell sessions in Markdown documents.")
    func run() throws {}
}
