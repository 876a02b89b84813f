import ArgumentParser
import Foundation
import TranscriptKit

/// The options of update mode, shared by `run --update` and `update`.
struct UpdateOptions: ParsableArguments {
    @Flag(help: "Print a unified diff of the changes instead of writing them.")
    var diff = false

    @Flag(name: [.short, .long], help: "Show each failing command's change and ask: accept, skip or quit (needs a terminal).")
    var interactive = false

    @Flag(help: "Also rewrite blocks marked diverges=.")
    var updateDivergent = false

    @Flag(help: "Write read-only documents too (their mode stays as it is).")
    var force = false

    var settings: UpdateSettings {
        var settings = UpdateSettings()
        settings.diffOnly = diff
        settings.interactive = interactive
        settings.includeDivergent = updateDivergent
        settings.force = force
        return settings
    }

    var isUsed: Bool { diff || interactive || updateDivergent || force }

    /// Runs update mode over `paths`; exits 2 when --interactive has no terminal to ask on.
    func run(paths: [String], settings: RunSettings) throws -> Never {
        var prompt: TerminalPrompt?
        if interactive {
            prompt = TerminalPrompt()
            if prompt == nil {
                FileHandle.standardError.write(Data("transcript: --interactive needs a terminal, and standard input is not one; run without -i, or with --diff to see the changes\n".utf8))
                throw ExitCode(2)
            }
        }
        throw ExitCode(UpdateInvocation.run(paths: paths, settings: settings, update: self.settings, prompt: prompt))
    }
}

struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Run transcripts and write each failing command's actual output into the document (same as run --update).",
        discussion: """
        Expected lines that still match stay as written (patterns, placeholders, captures, ...); \
        everything outside the changed lines is kept byte for byte. Files with errors are never \
        written; each updated file is run again and reported if it still fails.

        Examples:
          transcript update docs/install.md          rewrite what no longer matches
          transcript update --diff docs              show what would change
          transcript update -i docs                  ask for each command

        Exit status: 0 every file passes (after the update), 1 a file still fails (with --diff: \
        there are changes), 2 bad input.
        """
    )

    @OptionGroup var selection: SelectionOptions
    @OptionGroup var updating: UpdateOptions

    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var colors: ColorOptions

    func validate() throws {
        try selection.rejectSidecarInUpdateMode()
    }

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = RunSettings()
        execution.apply(to: &settings)
        settings.environment = environment
        settings.color = colors.color
        selection.apply(to: &settings, environment: environment)
        try updating.run(paths: selection.resolvedPaths, settings: settings)
    }
}
