/// What an HTML comment that opens an HTML block means to the harness (FORMAT.md sections 1 and 4).
enum CommentDirective: Equatable {
    /// `<!-- transcript` alone on its line: a hidden session follows.
    case hiddenSession
    /// `<!-- transcript: ...` or `<!-- transcript-file: ...`; the option text starts at byte `textStart`.
    case options(OptionScope, textStart: Int)
    /// `<!-- transcript skip -->`: an option comment without its colon; the word starts at byte `wordStart`.
    case missingColon(OptionScope, wordStart: Int)
    /// `<!-- Transcript: skip -->`, `<!-- transcripts: exact -->`, `<!-- transcript : ws -->`: a
    /// misspelled opening followed by a colon and an option name; `written` is the opening word
    /// as written, `scope` the likely intent.
    case misspelled(OptionScope, written: String)
    /// An ordinary comment.
    case none

    /// Whom an option comment's options are for.
    enum OptionScope: Equatable {
        /// The next session block: `<!-- transcript: ... -->`.
        case block
        /// Every block of the file: `<!-- transcript-file: ... -->`.
        case file

        /// The comment's opening as written, for messages.
        var opening: String { self == .block ? "<!-- transcript:" : "<!-- transcript-file:" }
    }
}

extension LineCursor {
    /// What the HTML comment starting at `nextNonspace` is (the line must start an HTML block of kind 2).
    func commentDirective() -> CommentDirective {
        let start = nextNonspace
        if hasPrefix("<!-- transcript", at: start), isBlank(from: start + 15) {
            return .hiddenSession
        }
        var index = start + 4
        while let byte = byte(at: index), MarkdownByte.isSpaceOrTab(byte) { index += 1 }
        guard hasPrefix("transcript", at: index) else { return misspelledDirective(from: index) }
        index += 10
        var scope = CommentDirective.OptionScope.block
        if hasPrefix("-file", at: index) {
            scope = .file
            index += 5
        }
        if byte(at: index) == UInt8(ascii: ":") { return .options(scope, textStart: index + 1) }
        if let byte = byte(at: index), !MarkdownByte.isSpaceOrTab(byte) { return misspelledDirective(from: start + 4) }
        if case .misspelled(let scope, let written) = misspelledDirective(from: start + 4) { return .misspelled(scope, written: written) }
        // Without the colon, flag the comment only when an option name follows, so that ordinary
        // prose comments ("<!-- transcript of ... -->") stay ordinary.
        guard let space = byte(at: index), MarkdownByte.isSpaceOrTab(space) else { return .none }
        while let byte = byte(at: index), MarkdownByte.isSpaceOrTab(byte) { index += 1 }
        var end = index
        while let byte = byte(at: end), !MarkdownByte.isSpaceOrTab(byte), byte != UInt8(ascii: "=") { end += 1 }
        return Options.names.contains(text(index, end)) ? .missingColon(scope, wordStart: index) : .none
    }

    /// `.misspelled` when the comment's first word (from `index`, after blanks) is close to
    /// `transcript` or `transcript-file`, a colon follows it (perhaps after blanks), and then an
    /// option name: such a comment was surely meant for the harness. Otherwise `.none`.
    private func misspelledDirective(from index: Int) -> CommentDirective {
        var start = index
        while let byte = byte(at: start), MarkdownByte.isSpaceOrTab(byte) { start += 1 }
        var end = start
        while let byte = byte(at: end), !MarkdownByte.isSpaceOrTab(byte), byte != UInt8(ascii: ":") { end += 1 }
        let word = text(start, end)
        var colon = end
        while let byte = byte(at: colon), MarkdownByte.isSpaceOrTab(byte) { colon += 1 }
        guard byte(at: colon) == UInt8(ascii: ":"), !word.isEmpty, word.count <= 20 else { return .none }
        let lower = word.lowercased().replacingOccurrences(of: "_", with: "-")
        let scope: CommentDirective.OptionScope
        if editDistance(lower, "transcript-file") <= 2 || lower.hasPrefix("transcript-file") {
            scope = .file
        } else if editDistance(lower, "transcript") <= 2 {
            scope = .block
        } else {
            return .none
        }
        var option = colon + 1
        while let byte = byte(at: option), MarkdownByte.isSpaceOrTab(byte) { option += 1 }
        var optionEnd = option
        while let byte = byte(at: optionEnd), !MarkdownByte.isSpaceOrTab(byte), byte != UInt8(ascii: "=") { optionEnd += 1 }
        guard Options.names.contains(text(option, optionEnd)) else { return .none }
        return .misspelled(scope, written: text(start, colon + 1))
    }

    /// One line's share of an option comment's text, from byte `start` up to `-->` (if the
    /// line holds it): the text, the 1-based column of its first character, and whether `-->` ends it.
    func optionText(from start: Int) -> (text: String, column: Int, closes: Bool) {
        var end = start
        var closes = false
        while end < bytes.count {
            if hasPrefix("-->", at: end) {
                closes = true
                break
            }
            end += 1
        }
        var first = start
        while first < end, MarkdownByte.isSpaceOrTab(bytes[first]) { first += 1 }
        // Everything before the option text is ASCII (markers, indentation, `<!-- transcript:`),
        // so the byte index is also the character column.
        return (text(first, end), first + 1, closes)
    }
}
