import ArgumentParser
import Foundation
import TranscriptKit

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Run commands as a transcript would and append them, with their output, as a session block.",
        discussion: """
        Each argument after -- is one command; without them, standard input holds one command per line (on a terminal, it prompts for each; an empty line ends). \
        The commands run after the document's own blocks, in the same shell, environment and temporary \
        directory. The temporary directory is written as {{$TMPDIR}} (the document's as {{$TRANSCRIPT_DIR}}); \
        IDs, digests, git hashes, dates, measured durations and, in Docker's tables, sizes, statuses and \
        generated names are written as placeholders; an ID that comes up again is captured ({{ID1=short-id}}) \
        and reused ({{$ID1}} in output, $ID1 in later commands). A command that uses docker gets requires=docker. \
        The document is then run again. A line that comes out otherwise is reported with both versions: a \
        value of one kind that changed (a number, a hex ID, a time) is written as its placeholder and checked \
        by a third run; for any other change the line that would match both runs is printed.

        Examples:
          transcript record docs/hello.md -- 'echo hello' 'ls /nonexistent'
          printf 'docker pull busybox\\ndocker images busybox\\n' | transcript record docs/images.md

        Exit status: 0 recorded and passing when run again, 1 recorded but still varying or failing (or nothing ran), 2 bad input.
        """
    )

    @Argument(help: "The document to append to (created if missing).", completion: Completions.documents)
    var file: String

    @Argument(parsing: .postTerminator, help: "The commands, one per argument.")
    var commands: [String] = []

    @Option(help: ArgumentHelp("Limit for each command (default 60s).", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Engine for commands that use one: 'private' (a fresh engine of the client's kind), 'host', or an engine's name (a fresh engine of that kind).", valueName: "private|host|" + EngineRegistry.names.joined(separator: "|")), completion: Completions.engine)
    var engine: String = "private"

    @Flag(help: "Write into a read-only document too (its mode stays as it is).")
    var force = false

    @OptionGroup var colors: ColorOptions

    func validate() throws {
        if let timeout, Duration.parse(transcript: timeout) == nil {
            throw ValidationError("--timeout '\(timeout)' is not a duration; write e.g. 500ms, 30s or 2m")
        }
        try ExecutionOptions.check(engine: engine)
    }

    func run() throws {
        var settings = RunSettings()
        settings.environment = ProcessInfo.processInfo.environment
        settings.timeout = timeout.flatMap { Duration.parse(transcript: $0) }
        ExecutionOptions.apply(engine: engine, to: &settings)
        settings.color = colors.color
        let prompt = Style.detect(environment: settings.environment, choice: colors.color, descriptor: STDERR_FILENO)
        let list = commands.isEmpty ? Self.readCommands(style: prompt) : commands
        Interruption.install()
        var recorder = Recorder(settings: settings)
        recorder.force = force
        throw ExitCode(recorder.record(path: file, commands: list))
    }

    /// The commands on standard input, one per line. On a terminal it says so and prompts for
    /// each (`command> ` on standard error); an empty line or end-of-file ends the list there.
    static func readCommands(style: Style) -> [String] {
        let terminal = isatty(STDIN_FILENO) == 1
        let err = FileHandle.standardError
        if terminal { err.write(Data("Type the commands to record, one per line; an empty line or Ctrl-D ends.\n".utf8)) }
        var list: [String] = []
        while true {
            if terminal { err.write(Data(style.cyan("command> ").utf8)) }
            guard let line = readLine(strippingNewline: true) else { break }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if terminal { break }
                continue
            }
            list.append(line)
        }
        return list
    }
}
