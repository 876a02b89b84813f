import PCRE2

/// The `[terminal]` section: how commands that run under a pseudo-terminal are driven.
///
///     [terminal]
///     prompts = ['\$ ', '[a-z]+> ']     # in-session prompts (PCRE2), instead of the built-in ones
extension Configuration {
    /// Reads `[terminal]`; each prompt is compiled here, so a bad one is the file's error.
    mutating func readTerminalSection(_ reader: inout ConfigurationReader) {
        guard var section = reader.subsection("terminal") else { return }
        section.rejectUnknownKeys(allowed: ["prompts"])
        let help = "write prompts = ['/ # ', 'root@[0-9a-f]+:[^#]*# ']: PCRE2 patterns for the start of a line"
        if let sources = section.strings("prompts", help: help) {
            var prompts: [SessionPrompt] = []
            for source in sources {
                do {
                    let prompt = try SessionPrompt(source)
                    if TerminalScript.typed("$ exit", after: prompt) != nil {
                        section.problem("prompts", "prompt pattern '\(source)' matches '$ ', which starts a command of the file's own shell",
                                        "a page cannot show a '$ ' prompt inside a terminal session: give the session another PS1")
                    }
                    prompts.append(prompt)
                } catch {
                    section.problem("prompts", "prompt pattern '\(source)' does not compile: \(error.message)", help)
                }
            }
            if sources.isEmpty { section.problem("prompts", "no prompt in prompts", help) }
            terminalPrompts = prompts
        }
        reader.append(section.problems)
    }
}
