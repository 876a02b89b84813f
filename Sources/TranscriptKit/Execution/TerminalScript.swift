import PCRE2

/// An in-session prompt: a pattern for the start of a line, such as `/ # ` or `root@ID:/# `.
package struct SessionPrompt: Sendable {
    /// The PCRE2 pattern as configured.
    package var source: String
    /// Matches at a line's start (the prompt, then what was typed).
    let start: Regex
    /// Matches a whole line (a prompt waiting for input).
    let whole: Regex

    package init(_ source: String) throws(RegexError) {
        self.source = source
        start = try Regex(source, options: [.anchored, .utf])
        whole = try Regex(source, options: .wholeLine)
    }

    /// The built-in prompts: `user@host:path# ` (Debian, Ubuntu), `/path # ` (BusyBox),
    /// `sh-5.2# ` (a shell without a profile), `# `, and Python's `>>> `. `$ ` is not one: in a
    /// page it starts a command of the file's own shell.
    package static let defaultSources = [
        #"[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:[^\s#$]*[#$] "#,
        #"[/~][^\s#$]* [#$] "#,
        #"(?:ba|da|z|k)?sh-[0-9.]+[#$] "#,
        #"# "#,
        #">>> "#,
    ]

    /// The built-in prompts, compiled.
    package static let defaults: [SessionPrompt] = defaultSources.compactMap { try? SessionPrompt($0) }

    /// Whether `line` (trailing spaces removed, as a page keeps it) is this prompt waiting.
    func isWaiting(_ line: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { whole.matches($0) }
            || (line + [UInt8(ascii: " ")]).withUnsafeBufferPointer { whole.matches($0) }
    }
}

/// What is typed into a command that runs under a terminal: the lines of its expected output
/// that start with an in-session prompt, each typed once that prompt shows.
package struct TerminalScript: Sendable {
    /// One line to type.
    package struct Input: Sendable, Equatable {
        /// The index of the prompt it waits for, in `prompts`.
        package var prompt: Int
        /// What is typed (Enter follows it).
        package var text: String
        /// The page's line (1-based).
        package var line: Int
        /// The page's line as written, for messages.
        package var shown: String
    }

    package var prompts: [SessionPrompt]
    package var inputs: [Input]
    /// The page ends with a bare prompt after the last input: the session ends there, and the
    /// prompt is part of the output.
    package var endsAtPrompt = false
    /// The command's first word names a program that can lead a session of its own with the
    /// terminal as its controlling terminal (`setsid -c`); otherwise it runs in the file's shell
    /// with the terminal as its standard input, output and error only.
    package var leadsSession = true

    /// The script for expected output `lines` (text and page line). The session's prompt is the
    /// first prompt any line starts with; later lines are input only when they start with the same
    /// prompt, so `# comment` printed inside a `/ # ` session is output.
    package init(lines: [(text: String, line: Int)], prompts: [SessionPrompt], leadsSession: Bool) {
        self.prompts = prompts
        self.leadsSession = leadsSession
        inputs = []
        var chosen: Int?
        for (text, line) in lines {
            let candidates = chosen.map { [$0] } ?? Array(prompts.indices)
            for index in candidates {
                guard let typed = Self.typed(text, after: prompts[index]) else { continue }
                chosen = index
                inputs.append(Input(prompt: index, text: typed, line: line, shown: text))
                break
            }
        }
        if let last = inputs.last, last.text.isEmpty, last.line == lines.last?.line {
            inputs.removeLast()
            endsAtPrompt = true
        }
    }

    /// What `text` types after `prompt`, or nil when it does not start with it (a bare prompt, its
    /// trailing space trimmed by the page, types nothing).
    static func typed(_ text: String, after prompt: SessionPrompt) -> String? {
        if let match = prompt.start.firstMatch(in: text) {
            let utf8 = Array(text.utf8)
            return String(decoding: utf8[min(match.range.upperBound, utf8.count)...], as: UTF8.self)
        }
        if prompt.whole.matches(text + " ") { return "" }
        return nil
    }
}
