import Glibc

/// How commands' input and output travel between a `ShellSession` and its shell: what the shell
/// is given at its start, how what it writes is read and cut into commands, and what a command
/// reads. `PipeChannel` (one pipe, markers in it, input from /dev/null) is the one there is.
///
/// The contract, in the order a session uses it:
/// - `open()`, once, before the shell starts: the descriptors the shell starts with, as
///   `ChannelEnd`s. The session installs them in the shell (its standard input stays the script
///   file); the harness's copies of them are closed by `shellStarted()` right after the spawn.
///   Descriptors the channel keeps must be close-on-exec and above `ShellScript.markerDescriptor`.
/// - `outputDescriptor` is what the session polls for output (POLLIN); -1 once the output has
///   ended. `read(into:)` never blocks: it reads what there is, up to the buffer's size.
///   `pendingByteCount()` says how much can be read now without waiting, when the channel knows.
/// - `framing` says where the end of each command shows: today in the output stream itself, as
///   the salted markers `ShellScript` writes. The session cuts the stream into commands.
/// - `commandInput` is what each command's standard input is.
/// - `makeAnswerInput()` gives a command that answers prompts in the page (`PromptAnswer`) its
///   standard input: a pipe the command's line redirects from by its /proc path, to which the
///   session writes each answer when its prompt appears. The default is an `AnswerInput`; a
///   terminal channel would type the answers into the terminal instead.
/// - `close()` releases everything; the session calls it when it ends (it may come twice).
///
/// What later channels supply through the same points (not built yet):
/// - A pseudo-terminal: `open()` gives the terminal's path as `.path` ends for 1 and 2 (the shell
///   leads a new session when they are opened, so the terminal becomes its controlling one), and
///   a pipe of its own for the markers on 3 (`ChannelFraming` gains a case for markers apart:
///   the session polls both and, at a marker, first reads all the terminal has; the kernel hands
///   a terminal's output on a moment later, so "all" needs a sign written through the terminal
///   too). `commandInput` gains `.terminal`: a command reads the terminal,
///   lines typed to it go in through the channel, and their echo comes back as output.
/// - A background command: a channel of its own, opened while the shell runs; its `open()` ends
///   are `.path` ends that the command's line redirects to, so its output never mixes with the
///   foreground commands', and its marker, written when it ends, comes on that channel: the
///   session polls it beside the foreground's and reports it as an event of its own.
package protocol Channel: AnyObject {
    /// Makes the channel's descriptors; returns what the shell gets. Called once, before the spawn.
    func open() throws(ExecutionError) -> [ChannelEnd]
    /// The shell runs: the harness's copies of the shell's ends can go.
    func shellStarted()
    /// Where the end of each command shows.
    var framing: ChannelFraming { get }
    /// What each command reads on its standard input.
    var commandInput: CommandInput { get }
    /// The descriptor to poll for output; -1 once the output has ended (or before `open()`).
    var outputDescriptor: Int32 { get }
    /// One non-blocking read of output into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ChannelRead
    /// Bytes of output that can be read now without waiting; nil when the channel cannot tell.
    func pendingByteCount() -> Int?
    /// Closes every descriptor; safe to call more than once.
    func close()
    /// The standard input of a command that answers prompts; nil when none can be made.
    /// `fifoIn`: where the shell cannot open the harness's descriptors by their /proc path, the
    /// directory to make a FIFO in instead (`AnswerInput`).
    func makeAnswerInput(fifoIn directory: String?) -> AnswerInput?
}

extension Channel {
    package func makeAnswerInput(fifoIn directory: String?) -> AnswerInput? { AnswerInput(fifoIn: directory) }
}

/// One descriptor the shell starts with: `target` in the shell is `source`. Never 0: the shell's
/// standard input is its script.
package struct ChannelEnd: Sendable, Equatable {
    package enum Source: Sendable, Equatable {
        /// A descriptor of the harness's (close-on-exec, above the marker descriptor), duplicated.
        case descriptor(Int32)
        /// A file opened for the shell, after its new session starts (`open(2)` flags).
        case path(String, flags: Int32)
    }

    package var target: Int32
    package var source: Source

    package init(target: Int32, source: Source) {
        self.target = target
        self.source = source
    }
}

/// Where the end of a command shows.
package enum ChannelFraming: Sendable, Equatable {
    /// In the output stream, as a salted marker (`ShellScript`) after the command's last byte.
    case markersInOutput
}

/// What a command reads on its standard input.
package enum CommandInput: Sendable, Equatable {
    /// Nothing: /dev/null; a command that answers prompts reads `makeAnswerInput()`'s pipe.
    case empty
}

/// What one read of a channel's output gave.
package enum ChannelRead: Sendable, Equatable {
    /// This many bytes, at the start of the buffer.
    case bytes(Int)
    /// Nothing now; poll again.
    case nothingYet
    /// The output has ended (or broken): `outputDescriptor` is -1 from now on.
    case ended
}
