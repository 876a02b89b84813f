import ArgumentParser
import Foundation
import TranscriptKit

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record commands into a transcript.")
    func run() throws { throw ExitCode(2) }
}
