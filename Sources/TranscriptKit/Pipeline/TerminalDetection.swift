/// Which commands run under a pseudo-terminal, and what is typed into them (`TerminalScript`).
///
/// A command does when its block says `terminal`, or when it is `docker run` or `docker exec`
/// (also `docker container run|exec`, and `podman`) with `-t` (`-it`, `-ti`, `--tty`) among its
/// options and without `-d`: such a command refuses to run, or prints `\r\n`, without one.
enum TerminalDetection {
    /// The script for `command`, or nil when it runs on the file's pipe as usual.
    static func script(for command: Command, options: Options, prompts: [SessionPrompt]) -> TerminalScript? {
        guard options.runsInTerminal || asksForTerminal(command.text) else { return nil }
        return TerminalScript(lines: command.expected.map { ($0.text, $0.line) }, prompts: prompts,
                              leadsSession: leadsSession(command.text))
    }

    /// Whether `text` is a container command that allocates a terminal.
    static func asksForTerminal(_ text: String) -> Bool {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)[...]
        guard let program = words.popFirst(), ["docker", "podman"].contains(program.split(separator: "/").last.map(String.init)) else {
            return false
        }
        // Global options before the subcommand (`docker -H unix:///x run`), then `container`.
        while let word = words.first, word.hasPrefix("-") {
            words.removeFirst()
            if ["-H", "--host", "-c", "--context", "--config", "-l", "--log-level"].contains(word) { words = words.dropFirst() }
        }
        if words.first == "container" { words.removeFirst() }
        guard let subcommand = words.popFirst(), subcommand == "run" || subcommand == "exec" else { return false }
        var tty = false
        while let word = words.popFirst(), word.hasPrefix("-"), word != "--" {
            if word.hasPrefix("--") {
                let name = word.split(separator: "=", maxSplits: 1)[0]
                if name == "--tty" { tty = !word.hasSuffix("=false") }
                if name == "--detach" { return false }
                if !word.contains("="), !booleanLongOptions.contains(String(name)) { words = words.dropFirst() }
                continue
            }
            for (offset, letter) in word.dropFirst().enumerated() {
                if letter == "t" { tty = true }
                if letter == "d" { return false }
                if valueLetters.contains(letter) {
                    // The rest of the word is its value, or the next word is.
                    if offset == word.count - 2 { words = words.dropFirst() }
                    break
                }
            }
        }
        return tty
    }

    /// Short options of `run` and `exec` that take a value.
    private static let valueLetters: Set<Character> = ["a", "c", "e", "h", "l", "m", "p", "u", "v", "w"]

    /// Long options of `run` and `exec` that take no value.
    private static let booleanLongOptions: Set<String> = [
        "--interactive", "--tty", "--privileged", "--rm", "--init", "--read-only", "--no-healthcheck",
        "--oom-kill-disable", "--publish-all", "--sig-proxy", "--disable-content-trust", "--quiet", "--help",
    ]

    /// Whether the command starts with a plain word (not an assignment, a reserved word or
    /// syntax), which may name a program that can lead a session of its own.
    static func leadsSession(_ text: String) -> Bool {
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first else { return false }
        let plain = first.allSatisfy { $0.isLetter || $0.isNumber || "_./-+".contains($0) }
        let reserved = ["if", "while", "until", "for", "case", "time", "function", "select", "coproc", "exec"]
        return plain && !reserved.contains(String(first))
    }
}
