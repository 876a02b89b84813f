/// HTML blocks: ordinary ones, hidden sessions (`<!-- transcript` … `-->`) and option comments.
extension BlockScanner {
    /// Opens an HTML block: a hidden session, an option comment, or an ordinary block (after
    /// reporting a comment that looks like a misspelled directive).
    mutating func openHTML(kind: Int, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
        let directive = kind == 2 ? cursor.commentDirective() : .none
        let column = cursor.nextNonspace + 1
        switch directive {
        case .hiddenSession:
            openLeaf(.html(HTMLBlock(kind: kind, role: .hiddenSession, indent: cursor.indent)), at: number)
            startSession(SessionBlock.Delimiters(opening: "<!-- transcript", closing: "-->"), isHidden: true, number, column: column)
            return .neutral
        case .options(let scope, let textStart):
            if scope == .block, let waiting = pending {
                report(number, column, "a second option comment for the same session block",
                       help: "merge the options into one `<!-- transcript: ... -->` comment",
                       notes: ["note: the first option comment is at line \(waiting.line)"])
                pending = nil
            } else if scope == .file, let waiting = pending {
                report(waiting.line, waiting.column, "the option comment must directly precede a session block",
                       help: "move it to just before the ```console block (or `<!-- transcript` comment) it is for; only blank lines may stand between",
                       notes: ["note: line \(number) comes between it and the next session block"])
                pending = nil
            }
            openLeaf(.html(HTMLBlock(kind: kind, role: .options, indent: cursor.indent)), at: number)
            optionComment = OpenOptionComment(scope: scope, line: number, column: column)
            readOptionText(number, cursor, from: textStart)
            return .neutral
        case .missingColon(let scope, let wordStart):
            let written = cursor.text(wordStart, cursor.bytes.count)
            report(number, column, "this comment looks like an option comment, but has no colon after '\(scope == .block ? "transcript" : "transcript-file")'",
                   help: "write it as `\(scope.opening) \(written.prefix { $0 != " " && $0 != "\t" }) -->`")
        case .misspelled(let scope, let written):
            report(number, column, "this comment looks like an option comment, but opens with '\(written)'",
                   help: "write it as `\(scope.opening) ... -->`")
        case .none:
            break
        }
        openLeaf(.html(HTMLBlock(kind: kind, role: .ordinary, indent: cursor.indent)), at: number)
        if kind <= 5, cursor.endsHTMLBlock(kind: kind, from: cursor.nextNonspace) { leaf = .none }
        return .content
    }

    /// A line inside an open HTML block, hidden session or option comment.
    mutating func continueHTML(_ html: HTMLBlock, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
        switch html.role {
        case .ordinary:
            if html.kind <= 5, cursor.endsHTMLBlock(kind: html.kind, from: cursor.offset) { leaf = .none }
            return cursor.blank ? .blank : .content
        case .options:
            readOptionText(number, cursor, from: cursor.offset)
            return .neutral
        case .hiddenSession:
            // Like any HTML comment, the session's comment ends at the first line holding `-->`.
            if let end = cursor.firstIndex(of: "-->", from: cursor.offset) {
                leaf = .none
                if cursor.indent <= 3, end == cursor.nextNonspace, cursor.isBlank(from: end + 3) {
                    finishSession(closingLine: number)
                    return .neutral
                }
                let opening = session?.openingLine ?? number
                session = nil
                report(number, cursor.characterColumn(ofByte: end), "`-->` here ends the hidden session's HTML comment, but not on a line of its own",
                       help: "end a hidden session with a line that is just `-->`; a command or output that needs `-->` belongs in a visible session block",
                       notes: ["note: the hidden session starts at line \(opening)"])
                return .content
            }
            cursor.skipIndentation(upTo: html.indent)
            appendSessionLine(number, cursor)
            return .content
        }
    }

    /// Reads an option comment's text on this line and, at `-->`, makes its options pending
    /// (or the file's options).
    mutating func readOptionText(_ number: Int, _ cursor: LineCursor, from start: Int) {
        guard var comment = optionComment else { return }
        let part = cursor.optionText(from: start)
        if part.text.hasPrefix("$") {
            comment.diagnostics.append(Diagnostic(
                file: source.path, line: number, column: part.column, message: "a command inside an option comment",
                help: "a hidden session starts with a line that is just `<!-- transcript`, without a colon"))
        } else if !part.text.isEmpty {
            do {
                let options = try Options.parse(part.text, file: source.path, line: number, column: part.column)
                comment.options = options.merged(over: comment.options)
            } catch {
                comment.diagnostics.append(error)
            }
        }
        guard part.closes else {
            optionComment = comment
            return
        }
        optionComment = nil
        leaf = .none
        diagnostics += comment.diagnostics
        switch comment.scope {
        case .block:
            pending = PendingOptions(options: comment.options, line: comment.line, column: comment.column)
        case .file:
            if sessionsOpened > 0 {
                report(comment.line, comment.column, "a `<!-- transcript-file: ... -->` comment after the first session block",
                       help: "move it above the first session block, or make it `<!-- transcript: ... -->` for the next block only")
            } else if let earlier = fileOptionsLine {
                report(comment.line, comment.column, "a second `<!-- transcript-file: ... -->` comment",
                       help: "merge the options into the first one, at line \(earlier)")
            } else {
                fileOptions = comment.options
                fileOptionsLine = comment.line
            }
        }
    }
}
