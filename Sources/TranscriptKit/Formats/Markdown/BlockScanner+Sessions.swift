/// Session blocks being read, and the opening and closing of container and leaf blocks (which
/// reports a session or option comment cut off).
extension BlockScanner {
    /// Starts reading a session block, taking the pending options.
    mutating func startSession(_ delimiters: SessionBlock.Delimiters, isHidden: Bool, _ number: Int, column: Int) {
        sessionsOpened += 1
        session = OpenSession(delimiters: delimiters, isHidden: isHidden, openingLine: number, openingColumn: column,
                              options: pending?.options ?? Options(), optionsLine: pending?.line, heading: heading)
        pending = nil
    }

    /// Adds the line to the open session, with the prefix that was stripped from it.
    mutating func appendSessionLine(_ number: Int, _ cursor: LineCursor) {
        let (prefix, content) = cursor.split()
        session?.lines.append(SessionLine(line: number, prefix: prefix, content: content))
    }

    /// Closes the open session at `closingLine` and parses its commands.
    mutating func finishSession(closingLine: Int) {
        guard let open = session else { return }
        session = nil
        var commandLines = open.lines[...]
        if scrutCases {
            while let first = commandLines.first, ScrutCaseLines.precedesCommand(first.content) {
                commandLines = commandLines.dropFirst()
            }
        }
        let parsed = SessionCommandParser.commands(in: Array(commandLines), closingLine: closingLine, file: source.path,
                                                   oneCommand: scrutCases)
        // A rendered block without any command shows something to the reader; a hidden session
        // is written for the harness, so text without a command there stays an error.
        let illustration = open.isHidden || !parsed.commands.isEmpty ? nil : SessionCommandParser.illustration(in: open.lines)
        if illustration == nil { diagnostics += parsed.diagnostics }
        var block = SessionBlock(delimiters: open.delimiters, isHidden: open.isHidden, openingLine: open.openingLine,
                                 closingLine: closingLine, options: open.options, optionsLine: open.optionsLine,
                                 heading: open.heading, lines: open.lines, commands: parsed.commands)
        block.illustration = illustration
        blocks.append(block)
    }

    /// Opens a block quote or list item inside the innermost container.
    mutating func openContainer(_ kind: Container.Kind, at number: Int) {
        closeLeaf(at: number, because: nil)
        if !containers.isEmpty { containers[containers.count - 1].hasChildren = true }
        containers.append(Container(kind: kind))
    }

    /// Makes `newLeaf` the open leaf, closing the one before.
    mutating func openLeaf(_ newLeaf: Leaf, at number: Int) {
        closeLeaf(at: number, because: nil)
        if !containers.isEmpty { containers[containers.count - 1].hasChildren = true }
        leaf = newLeaf
    }

    /// Closes the containers from index `first` inward, with the leaf inside them.
    mutating func closeContainers(from first: Int, at number: Int) {
        guard first < containers.count else { return }
        closeLeaf(at: number, because: containers[first].kind)
        containers.removeSubrange(first...)
    }

    /// Closes the open leaf at line `number`, reporting a session or option comment it cuts off;
    /// `container` is the container whose end closes it (nil for the end of the file).
    mutating func closeLeaf(at number: Int, because container: Container.Kind?) {
        defer {
            leaf = .none
            paragraphLines.removeAll(keepingCapacity: true)
        }
        if let open = session {
            session = nil
            let what = open.isHidden ? "hidden session" : "session block"
            let close = open.isHidden ? "end it with a line `-->`" : "add a closing \(open.delimiters.closing) fence"
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

    /// Records a diagnostic at `line`:`column`.
    mutating func report(_ line: Int, _ column: Int, _ message: String, help: String, notes: [String] = []) {
        diagnostics.append(Diagnostic(file: source.path, line: line, column: column, message: message, help: help, notes: notes))
    }
}
