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
        var delimiters: SessionBlock.Delimiters
        var isHidden: Bool
        var openingLine: Int
        var openingColumn: Int
        var options: Options
        var optionsLine: Int?
        var heading: String?
        var lines: [SessionLine] = []
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
    // What the scan found (set by the scanner's extensions, read by the parser).
    var diagnostics: [Diagnostic] = []
    var blocks: [SessionBlock] = []
    var fileOptions = Options()
    var fileOptionsLine: Int?

    var containers: [Container] = []
    var leaf = Leaf.none
    var paragraphLines: [String] = []
    var heading: String?
    var session: OpenSession?
    var optionComment: OpenOptionComment?
    var pending: PendingOptions?
    var sessionsOpened = 0

    /// The info string words that open a session block (scrut's documents: `scrut`).
    var languages = MarkdownParser.sessionLanguages
    /// scrut's test cases: lines starting with `#` (comments) or `%` (settings) before a block's
    /// command are not text before it, and the block holds that one command, whose output is
    /// every line after it.
    var scrutCases = false

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

    /// Where the line stands while its block starts are read.
    struct LineStart {
        var number: Int
        /// The first open container the line did not continue, until the line closes it.
        var unmatched: Int?
        var startedListItem = false
    }

    private mutating func scanLine(_ number: Int, _ text: String) -> LineRole {
        var cursor = LineCursor(text)
        if number == 1 { cursor.skipByteOrderMark() }
        let matched = continueContainers(&cursor)
        let allMatched = matched == containers.count
        cursor.findNextNonspace()
        if allMatched, let role = continueLeaf(number, &cursor) { return role }
        var line = LineStart(number: number, unmatched: allMatched ? nil : matched)
        if let role = startBlocks(&line, &cursor) { return role }
        return paragraphText(&line, allMatched: allMatched, &cursor)
    }

    /// 1. How many of the open containers the line continues (their markers consumed).
    private mutating func continueContainers(_ cursor: inout LineCursor) -> Int {
        var matched = 0
        while matched < containers.count {
            cursor.findNextNonspace()
            switch containers[matched].kind {
            case .blockQuote:
                guard cursor.consumeBlockQuoteMarker() else { return matched }
            case .listItem(let contentIndent):
                // cmark's order (GitHub's renderer): enough indentation continues the item even on
                // a line of white space; a blank line otherwise continues it only if it has content.
                if cursor.indent >= contentIndent {
                    cursor.advance(contentIndent, columns: true)
                } else if cursor.blank, containers[matched].hasChildren {
                    cursor.advanceToNextNonspace()
                } else {
                    return matched
                }
            }
            matched += 1
        }
        return matched
    }

    /// 2. The line's role when the open leaf takes it, or nil when it does not.
    private mutating func continueLeaf(_ number: Int, _ cursor: inout LineCursor) -> LineRole? {
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
        return nil
    }

    /// 3. Opens the blocks the line starts; the line's role when a leaf takes the rest of it, nil
    /// when paragraph text (or nothing) is left.
    private mutating func startBlocks(_ line: inout LineStart, _ cursor: inout LineCursor) -> LineRole? {
        while true {
            cursor.findNextNonspace()
            let paragraphOpen = isParagraphOpen
            // The paragraph is the line's own container only when every container continued.
            let inParagraph = paragraphOpen && line.unmatched == nil

            if !cursor.indented, cursor.nonspaceByte == MarkdownByte.greaterThan {
                closeUnmatched(&line)
                _ = cursor.consumeBlockQuoteMarker()
                openContainer(.blockQuote, at: line.number)
                continue
            }
            if let role = startLeaf(&line, &cursor, paragraphOpen: paragraphOpen, inParagraph: inParagraph) {
                return role
            }
            if let contentIndent = cursor.consumeListMarker(interruptsParagraph: inParagraph) {
                closeUnmatched(&line)
                openContainer(.listItem(contentIndent: contentIndent), at: line.number)
                line.startedListItem = true
                continue
            }
            if cursor.indented, !paragraphOpen, !cursor.blank {
                closeUnmatched(&line)
                openLeaf(.indentedCode, at: line.number)
                return .content
            }
            return nil
        }
    }

    /// The leaf blocks that may start before a list item: headings, fences, HTML blocks,
    /// thematic breaks.
    private mutating func startLeaf(_ line: inout LineStart, _ cursor: inout LineCursor, paragraphOpen: Bool,
                                    inParagraph: Bool) -> LineRole? {
        if let title = cursor.atxHeading() {
            closeUnmatched(&line)
            openLeaf(.none, at: line.number)
            heading = title
            return .content
        }
        if let opening = cursor.fenceOpening() {
            closeUnmatched(&line)
            return openFence(opening, line.number, &cursor)
        }
        if let kind = cursor.htmlBlockStart(mayInterruptParagraph: !paragraphOpen) {
            closeUnmatched(&line)
            return openHTML(kind: kind, line.number, &cursor)
        }
        if inParagraph, cursor.isSetextUnderline() {
            heading = paragraphLines.map(\.trimmingWhitespace).joined(separator: " ")
            closeLeaf(at: line.number, because: nil)
            return .content
        }
        if cursor.isThematicBreak() {
            closeUnmatched(&line)
            openLeaf(.none, at: line.number)
            return .content
        }
        return nil
    }

    /// 4. What is left is paragraph text (or nothing).
    private mutating func paragraphText(_ line: inout LineStart, allMatched: Bool, _ cursor: inout LineCursor) -> LineRole {
        if isParagraphOpen, !allMatched, line.unmatched != nil, !cursor.blank {
            // A lazy continuation line: the containers stay open.
            paragraphLines.append(cursor.nonspaceText)
            return .content
        }
        closeUnmatched(&line)
        if cursor.blank {
            if isParagraphOpen { closeLeaf(at: line.number, because: nil) }
            return line.startedListItem ? .content : .blank
        }
        if isParagraphOpen {
            paragraphLines.append(cursor.nonspaceText)
        } else {
            openLeaf(.paragraph, at: line.number)
            paragraphLines = [cursor.nonspaceText]
        }
        return .content
    }

    /// Closes the containers the line did not continue, once it starts something of its own.
    private mutating func closeUnmatched(_ line: inout LineStart) {
        guard let first = line.unmatched else { return }
        closeContainers(from: first, at: line.number)
        line.unmatched = nil
    }

    private var isParagraphOpen: Bool {
        if case .paragraph = leaf { return true }
        return false
    }
}

extension LineCursor {
    /// Consumes a block quote marker at `nextNonspace` (`>` and one optional space or tab);
    /// false, consuming nothing, when there is none.
    fileprivate mutating func consumeBlockQuoteMarker() -> Bool {
        guard !indented, nonspaceByte == MarkdownByte.greaterThan else { return false }
        advanceToNextNonspace()
        advance(1, columns: false)
        if let byte = currentByte, MarkdownByte.isSpaceOrTab(byte) { advance(1, columns: true) }
        return true
    }
}
