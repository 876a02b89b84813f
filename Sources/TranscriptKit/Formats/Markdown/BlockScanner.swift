/// CommonMark's block structure, line by line, as far as a transcript needs it: the open
/// container blocks (block quotes, list items) and the open leaf block, so that fences and
/// HTML comments are recognised exactly where a CommonMark renderer sees them. It follows the
/// spec's parsing strategy and the reference implementation's order of block starts.
struct BlockScanner {
    /// A block quote or list item that is still open.
    struct Container {
        enum Kind {
            case blockQuote
            /// `contentIndent`: the columns a continuation line must be indented by.
            case listItem(contentIndent: Int)
        }

        var kind: Kind
        /// Whether any block has been opened inside it (an item that starts blank ends at a
        /// second blank line).
        var hasChildren = false
    }

    /// The open leaf block, in the innermost container.
    enum Leaf {
        case none
        case paragraph
        case indentedCode
        case fence(Fence)
        case html(HTMLBlock)
    }

    struct Fence {
        var character: UInt8
        var length: Int
        /// The opening fence's indentation, removed from content lines.
        var indent: Int
        var isSession: Bool
    }

    struct HTMLBlock {
        enum Role {
            case ordinary
            /// `<!-- transcript` … `-->`.
            case hiddenSession
            /// `<!-- transcript: … -->` or `<!-- transcript-file: … -->`.
            case options
        }

        /// CommonMark's HTML block kind, 1–7.
        var kind: Int
        var role: Role
        /// The opening line's indentation, removed from a hidden session's lines.
        var indent: Int
    }

    /// A session being read.
    struct OpenSession {
        var kind: SessionBlock.Kind
        var openingLine: Int
        var openingColumn: Int
        var options: Options
        var optionsLine: Int?
        var heading: String?
        var lines: [SessionLine] = []
        /// What would close it, for messages: "```" or "-->".
        var closer: String
    }

    /// An option comment being read (it may span lines).
    struct OpenOptionComment {
        var scope: CommentDirective.OptionScope
        var line: Int
        var column: Int
        var options = Options()
        /// Errors in its option text, reported once `-->` closes it (an unclosed comment swallows
        /// the rest of the file, and errors about those lines would only hide the real problem).
        var diagnostics: [Diagnostic] = []
    }

    /// Option comment options waiting for the next session block.
    struct PendingOptions {
        var options: Options
        var line: Int
        var column: Int
    }

    /// How a line bears on a pending option comment.
    enum LineRole {
        case blank
        /// Part of an option comment, or the opening of a session block.
        case neutral
        case content
    }

    let source: SourceFile
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var blocks: [SessionBlock] = []
    private(set) var fileOptions = Options()
    private(set) var fileOptionsLine: Int?

    private var containers: [Container] = []
    private var leaf = Leaf.none
    private var paragraphLines: [String] = []
    private var heading: String?
    private var session: OpenSession?
    private var optionComment: OpenOptionComment?
    private var pending: PendingOptions?
    private var sessionsOpened = 0

    init(source: SourceFile) {
        self.source = source
    }

    /// Reads every line, then closes what the end of the file leaves open.
    mutating func scan() {
        for (index, text) in source.lines.enumerated() {
            let number = index + 1
            let role = scanLine(number, text)
            if role == .content, let waiting = pending {
                report(waiting.line, waiting.column, "the option comment must directly precede a session block",
                       help: "move it to just before the ```console block (or `<!-- transcript` comment) it is for; only blank lines may stand between",
                       notes: ["note: line \(number) comes between it and the next session block"])
                pending = nil
            }
        }
        closeLeaf(at: source.lines.count + 1, because: nil)
        containers.removeAll()
        if let waiting = pending {
            report(waiting.line, waiting.column, "no session block follows this option comment",
                   help: "put a ```console block (or a `<!-- transcript` comment) after it, or remove it")
        }
        diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    // MARK: - One line

    private mutating func scanLine(_ number: Int, _ text: String) -> LineRole {
        var cursor = LineCursor(text)
        if number == 1 { cursor.skipByteOrderMark() }

        // 1. Which open containers does the line continue?
        var matched = 0
        containerLoop: while matched < containers.count {
            cursor.findNextNonspace()
            switch containers[matched].kind {
            case .blockQuote:
                guard !cursor.indented, cursor.nonspaceByte == MarkdownByte.greaterThan else { break containerLoop }
                cursor.advanceToNextNonspace()
                cursor.advance(1, columns: false)
                if let byte = cursor.currentByte, MarkdownByte.isSpaceOrTab(byte) { cursor.advance(1, columns: true) }
            case .listItem(let contentIndent):
                // cmark's order (GitHub's renderer): enough indentation continues the item even on
                // a line of white space; a blank line otherwise continues it only if it has content.
                if cursor.indent >= contentIndent {
                    cursor.advance(contentIndent, columns: true)
                } else if cursor.blank, containers[matched].hasChildren {
                    cursor.advanceToNextNonspace()
                } else {
                    break containerLoop
                }
            }
            matched += 1
        }
        let allMatched = matched == containers.count
        cursor.findNextNonspace()

        // 2. Does the open leaf take the line?
        if allMatched {
            switch leaf {
            case .fence(let fence):
                return continueFence(fence, number, &cursor)
            case .html(let html):
                if cursor.blank, html.kind >= 6 {
                    closeLeaf(at: number, because: nil)
                } else {
                    return continueHTML(html, number, &cursor)
                }
            case .indentedCode:
                if cursor.indented || cursor.blank { return cursor.blank ? .blank : .content }
                closeLeaf(at: number, because: nil)
            case .paragraph:
                if cursor.blank { closeLeaf(at: number, because: nil) }
            case .none:
                break
            }
        }

        // 3. New blocks.
        var unmatched = allMatched ? nil : matched
        func closeUnmatched(_ scanner: inout BlockScanner) {
            guard let first = unmatched else { return }
            scanner.closeContainers(from: first, at: number)
            unmatched = nil
        }
        var startedListItem = false
        while true {
            cursor.findNextNonspace()
            let paragraphOpen: Bool
            if case .paragraph = leaf { paragraphOpen = true } else { paragraphOpen = false }
            // The paragraph is the line's own container only when every container continued.
            let inParagraph = paragraphOpen && unmatched == nil

            if !cursor.indented, cursor.nonspaceByte == MarkdownByte.greaterThan {
                closeUnmatched(&self)
                cursor.advanceToNextNonspace()
                cursor.advance(1, columns: false)
                if let byte = cursor.currentByte, MarkdownByte.isSpaceOrTab(byte) { cursor.advance(1, columns: true) }
                openContainer(.blockQuote, at: number)
                continue
            }
            if let title = cursor.atxHeading() {
                closeUnmatched(&self)
                openLeaf(.none, at: number)
                heading = title
                return .content
            }
            if let opening = cursor.fenceOpening() {
                closeUnmatched(&self)
                return openFence(opening, number, &cursor)
            }
            if let kind = cursor.htmlBlockStart(mayInterruptParagraph: !paragraphOpen) {
                closeUnmatched(&self)
                return openHTML(kind: kind, number, &cursor)
            }
            if inParagraph, cursor.isSetextUnderline() {
                heading = paragraphLines.map(\.trimmingWhitespace).joined(separator: " ")
                closeLeaf(at: number, because: nil)
                return .content
            }
            if cursor.isThematicBreak() {
                closeUnmatched(&self)
                openLeaf(.none, at: number)
                return .content
            }
            if let contentIndent = cursor.consumeListMarker(interruptsParagraph: inParagraph) {
                closeUnmatched(&self)
                openContainer(.listItem(contentIndent: contentIndent), at: number)
                startedListItem = true
                continue
            }
            if cursor.indented, !paragraphOpen, !cursor.blank {
                closeUnmatched(&self)
                openLeaf(.indentedCode, at: number)
                return .content
            }
            break
        }

        // 4. What is left is paragraph text (or nothing).
        if case .paragraph = leaf, !allMatched, unmatched != nil, !cursor.blank {
            // A lazy continuation line: the containers stay open.
            paragraphLines.append(cursor.nonspaceText)
            return .content
        }
        closeUnmatched(&self)
        if cursor.blank {
            if case .paragraph = leaf { closeLeaf(at: number, because: nil) }
            return startedListItem ? .content : .blank
        }
        if case .paragraph = leaf {
            paragraphLines.append(cursor.nonspaceText)
        } else {
            openLeaf(.paragraph, at: number)
            paragraphLines = [cursor.nonspaceText]
        }
        return .content
    }

    // MARK: - Fences

    private mutating func openFence(_ opening: LineCursor.FenceOpening, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
        let word = MarkdownParser.decodingInfoString(String(opening.info)).prefix { $0 != " " && $0 != "\t" }
        let isSession = MarkdownParser.sessionLanguages.contains(String(word))
        openLeaf(.fence(Fence(character: opening.character, length: opening.length, indent: cursor.indent, isSession: isSession)), at: number)
        guard isSession else {
            if let waiting = pending {
                report(waiting.line, waiting.column, "the option comment must directly precede a session block",
                       help: "a session block's info string starts with console, shell-session or sh-session",
                       notes: ["note: the code block at line \(number) is not a session block"])
                pending = nil
            }
            return .content
        }
        let closer = String(repeating: Character(Unicode.Scalar(opening.character)), count: opening.length)
        startSession(.fenced(info: opening.info), number, column: cursor.nextNonspace + 1, closer: closer)
        return .neutral
    }

    private mutating func continueFence(_ fence: Fence, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
        if cursor.closesFence(character: fence.character, length: fence.length) {
            if fence.isSession { finishSession(closingLine: number) }
            leaf = .none
            return fence.isSession ? .neutral : .content
        }
        cursor.skipIndentation(upTo: fence.indent)
        if fence.isSession { appendSessionLine(number, cursor) }
        return .content
    }

    // MARK: - HTML blocks, hidden sessions, option comments

    private mutating func openHTML(kind: Int, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
        let directive = kind == 2 ? cursor.commentDirective() : .none
        let column = cursor.nextNonspace + 1
        switch directive {
        case .hiddenSession:
            openLeaf(.html(HTMLBlock(kind: kind, role: .hiddenSession, indent: cursor.indent)), at: number)
            startSession(.hidden, number, column: column, closer: "-->")
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

    private mutating func continueHTML(_ html: HTMLBlock, _ number: Int, _ cursor: inout LineCursor) -> LineRole {
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
    private mutating func readOptionText(_ number: Int, _ cursor: LineCursor, from start: Int) {
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

    // MARK: - Sessions

    private mutating func startSession(_ kind: SessionBlock.Kind, _ number: Int, column: Int, closer: String) {
        sessionsOpened += 1
        session = OpenSession(kind: kind, openingLine: number, openingColumn: column, options: pending?.options ?? Options(),
                              optionsLine: pending?.line, heading: heading, closer: closer)
        pending = nil
    }

    private mutating func appendSessionLine(_ number: Int, _ cursor: LineCursor) {
        let (prefix, content) = cursor.split()
        session?.lines.append(SessionLine(line: number, prefix: prefix, content: content))
    }

    private mutating func finishSession(closingLine: Int) {
        guard let open = session else { return }
        session = nil
        let parsed = SessionCommandParser.commands(in: open.lines, closingLine: closingLine, file: source.path)
        diagnostics += parsed.diagnostics
        blocks.append(SessionBlock(kind: open.kind, openingLine: open.openingLine, closingLine: closingLine,
                                   options: open.options, optionsLine: open.optionsLine, heading: open.heading,
                                   lines: open.lines, commands: parsed.commands))
    }

    // MARK: - Opening and closing blocks

    private mutating func openContainer(_ kind: Container.Kind, at number: Int) {
        closeLeaf(at: number, because: nil)
        if !containers.isEmpty { containers[containers.count - 1].hasChildren = true }
        containers.append(Container(kind: kind))
    }

    private mutating func openLeaf(_ newLeaf: Leaf, at number: Int) {
        closeLeaf(at: number, because: nil)
        if !containers.isEmpty { containers[containers.count - 1].hasChildren = true }
        leaf = newLeaf
    }

    /// Closes the containers from index `first` inward, with the leaf inside them.
    private mutating func closeContainers(from first: Int, at number: Int) {
        guard first < containers.count else { return }
        closeLeaf(at: number, because: containers[first].kind)
        containers.removeSubrange(first...)
    }

    /// Closes the open leaf at line `number`, reporting a session or option comment it cuts off;
    /// `container` is the container whose end closes it (nil for the end of the file).
    private mutating func closeLeaf(at number: Int, because container: Container.Kind?) {
        defer {
            leaf = .none
            paragraphLines.removeAll(keepingCapacity: true)
        }
        if let open = session {
            session = nil
            let what = open.kind == .hidden ? "hidden session" : "session block"
            let close = open.kind == .hidden ? "end it with a line `-->`" : "add a closing \(open.closer) fence"
            switch container {
            case nil:
                report(open.openingLine, open.openingColumn, "the \(what) opened here is never closed",
                       help: close)
            case .blockQuote:
                report(open.openingLine, open.openingColumn,
                       "the \(what) opened here is cut off at line \(number), where its block quote ends",
                       help: "start every line of the block with `>`, and \(close)")
            case .listItem(let contentIndent):
                report(open.openingLine, open.openingColumn,
                       "the \(what) opened here is cut off at line \(number), where its list item ends",
                       help: "indent every line of the block by at least \(contentIndent) columns, like the list item's text, and \(close)")
            }
        }
        if let comment = optionComment {
            optionComment = nil
            report(comment.line, comment.column, "the option comment is not closed",
                   help: container == nil ? "end it with `-->`" : "end it with `-->` inside the same block quote or list item")
        }
    }

    private mutating func report(_ line: Int, _ column: Int, _ message: String, help: String, notes: [String] = []) {
        diagnostics.append(Diagnostic(file: source.path, line: line, column: column, message: message, help: help, notes: notes))
    }
}
