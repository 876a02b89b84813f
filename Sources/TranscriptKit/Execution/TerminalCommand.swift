import Glibc

/// One command running under its own pseudo-terminal, driven as a person at a keyboard would:
/// each line of its `TerminalScript` is typed (with Enter) once its prompt shows at the start of
/// the line the program is writing; once every line is typed, the next prompt ends the session
/// with end-of-file (Ctrl-D). What the terminal shows is the command's output (`TerminalRenderer`).
///
/// The command runs in the file's shell (`shellText`), so it sees the shell's directory,
/// variables and functions; after it, the shell writes `sentinel` through the terminal, so the
/// harness knows it has read everything the command wrote there.
final class TerminalCommand {
    let terminal: PseudoTerminal
    let script: TerminalScript
    private var renderer = TerminalRenderer()
    /// The next input to type.
    private var next = 0
    /// Lines completed when the last input was typed: a prompt counts only on a later line.
    private var linesAtTyping = -1
    /// End-of-file was typed: what comes after is not shown.
    private var ended = false
    private var shownAtEnd: [UInt8] = []
    /// Bytes of `sentinel` matched so far, and whether all of it came.
    private let sentinel: [UInt8]
    private var sentinelMatched = 0
    private(set) var sawSentinel = false

    init(script: TerminalScript, salt: String) throws(ExecutionError) {
        terminal = try PseudoTerminal()
        self.script = script
        sentinel = [0x1E] + Array("\(salt) terminal".utf8)
    }

    /// The descriptor to poll while the command runs.
    var descriptor: Int32 { terminal.master }

    /// The shell text that runs `command` with the terminal as its standard input, output and
    /// error (and, when it can lead a session, as its controlling terminal), then writes the
    /// sentinel through the terminal and ends with the command's status.
    func shellText(for command: String) -> String {
        let path = ShellScript.quote(terminal.path)
        let marker = "\\036" + String(decoding: sentinel.dropFirst(), as: UTF8.self)
        var text = ""
        if script.leadsSession {
            // A program of its own session with the terminal as its controlling one, as at a login:
            // shells started in it keep job control; a builtin or function runs as it is.
            text += "__tx_lead(){ case $(command -v \"$1\" 2>/dev/null) in /*) if command -v setsid >/dev/null 2>&1; "
                + "then setsid -c -w \"$@\";return;fi;;esac;\"$@\";};"
        }
        // A subshell opens the terminal: the file's shell leads a session, and a terminal it
        // opened itself would become its controlling terminal (and hang it up when closed).
        text += "( { " + (script.leadsSession ? "__tx_lead " : "") + command
        text += "\n};__tx_tty=$?;command printf '\(marker)';exit $__tx_tty) <>\(path) >&0 2>&0"
        return text
    }

    /// Reads what the terminal has now and types what the page types when a prompt shows.
    func read(into buffer: UnsafeMutableRawBufferPointer) {
        while !sawSentinel {
            guard let count = terminal.read(into: buffer) else {
                terminal.close()  // broken: stop polling it
                return
            }
            if count == 0 { return }
            take(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            typeIfPrompted()
        }
    }

    /// Reads until the sentinel comes or `deadline` passes (the command has ended).
    func drain(until deadline: ContinuousClock.Instant, into buffer: UnsafeMutableRawBufferPointer) {
        while !sawSentinel, descriptor >= 0 {
            read(into: buffer)
            if sawSentinel { return }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return }
            var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, ShellSession.milliseconds(roundingUp: remaining))
        }
    }

    /// Splits off the sentinel; everything else goes to the renderer.
    private func take(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            if sawSentinel { return }
            if byte == sentinel[sentinelMatched] {
                sentinelMatched += 1
                if sentinelMatched == sentinel.count { sawSentinel = true }
                continue
            }
            if sentinelMatched > 0 {
                render(sentinel[..<sentinelMatched])
                sentinelMatched = 0
                if byte == sentinel[0] {
                    sentinelMatched = 1
                    continue
                }
            }
            render(CollectionOfOne(byte))
        }
    }

    private func render<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        guard !ended else { return }
        renderer.feed(bytes)
    }

    /// A prompt at the start of the line being written, on a line after the last one typed.
    private func typeIfPrompted() {
        guard !ended, renderer.lines.count > linesAtTyping else { return }
        let line = renderer.currentTrimmed
        if next < script.inputs.count {
            let input = script.inputs[next]
            guard script.prompts[input.prompt].isWaiting(line) else { return }
            next += 1
            linesAtTyping = renderer.lines.count
            terminal.type(Array(input.text.utf8) + [UInt8(ascii: "\r")])
            return
        }
        let prompts = script.inputs.last.map { [script.prompts[$0.prompt]] } ?? script.prompts
        guard prompts.contains(where: { $0.isWaiting(line) }) else { return }
        // Every line is typed and the program asks for more: the session ends here.
        ended = true
        shownAtEnd = renderer.text(droppingCurrent: !script.endsAtPrompt)
        terminal.type([0x04])
    }

    /// What the terminal showed, as the command's output.
    func output() -> [UInt8] {
        ended ? shownAtEnd : renderer.text()
    }

    /// What to say when the command did not end by itself: the prompt it was waiting for.
    func notes(timedOut: Bool) -> [String] {
        guard timedOut else { return [] }
        if next < script.inputs.count {
            let input = script.inputs[next]
            return ["the prompt of line \(input.line) (\(input.shown)) never appeared; the terminal shows: "
                + String(decoding: renderer.currentTrimmed, as: UTF8.self).debugDescription]
        }
        return []
    }
}
