import Foundation

extension Sidecar {
    /// `transcript` with what the sidecar says about it: its entries' file options over the
    /// document's, each named block's options over the block's own, and the sessions inserted
    /// before and after. Blocks are named in the document as written; a name that fits no block,
    /// or more than one, is an error at the sidecar's line.
    package func overlay(_ transcript: Transcript) throws(Diagnostics) -> Transcript {
        let entries = documents(for: transcript.path)
        guard !entries.isEmpty else { return transcript }
        var out = transcript
        var problems: [Diagnostic] = []
        var before = [[SessionBlock]](repeating: [], count: transcript.blocks.count)
        var after = before
        var opening: [SessionBlock] = []
        var closing: [SessionBlock] = []
        for entry in entries {
            if let options = entry.options { out.fileOptions = options.merged(over: out.fileOptions) }
            opening += entry.before.map { [$0] } ?? []
            closing += entry.after.map { [$0] } ?? []
            for named in entry.blocks {
                let index: Int
                switch BlockSelector.Resolution.resolve(named.selector, in: transcript, sidecar: path, entry: named.position) {
                case .failure(let problem): problems.append(problem); continue
                case .success(let found): index = found
                }
                if let options = named.options { out.blocks[index].options = options.merged(over: out.blocks[index].options) }
                before[index] += named.before.map { [$0] } ?? []
                after[index] += named.after.map { [$0] } ?? []
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        var blocks = opening
        for (index, block) in out.blocks.enumerated() {
            // A block's own sessions go with it: skipped when it is, wherever it needs what it needs.
            let attached = { (session: SessionBlock) -> SessionBlock in
                var session = session
                session.heading = block.heading
                session.options.skip = block.options.skip
                session.options.requires = block.options.requires
                return session
            }
            blocks += before[index].map(attached) + [block] + after[index].map(attached)
        }
        out.blocks = blocks + closing
        return out
    }
}

extension BlockSelector {
    /// Finding the one block a selector names in a document.
    enum Resolution {
        /// The index of the block `selector` names in `transcript`, or the error to report at the
        /// sidecar's `[[document.block]]` entry.
        static func resolve(_ selector: BlockSelector, in transcript: Transcript, sidecar: String,
                            entry: ConfigurationPosition) -> Result<Int, Diagnostic> {
            let blocks = Array(transcript.blocks.enumerated())
            var candidates = blocks
            func fail(_ key: String, _ message: String, _ help: String) -> Result<Int, Diagnostic> {
                let at = selector.positions[key] ?? entry
                return .failure(Diagnostic(file: sidecar, line: at.line, column: at.column, message: message, help: help))
            }
            let page = transcript.path
            if let line = selector.line {
                candidates = candidates.filter { $0.element.openingLine == line }
                if candidates.isEmpty {
                    return fail("line", "line \(line) of \(page) does not open a session block",
                                "session blocks open at lines " + lines(blocks.map(\.element)) + "; or name the block by heading or contains")
                }
            }
            if let heading = selector.heading {
                let wanted = normalizedHeading(heading)
                candidates = candidates.filter { $0.element.heading.map { normalizedHeading($0) } == wanted }
                if candidates.isEmpty {
                    return fail("heading", "heading \"\(heading)\" has no session block of \(page) under it\(selector.line == nil ? "" : " at that line")",
                                "headings with session blocks: " + headings(blocks.map(\.element)))
                }
            }
            if let text = selector.contains {
                candidates = candidates.filter { $0.element.commands.contains { $0.text.contains(text) } }
                if candidates.isEmpty {
                    return fail("contains", "no command of \(page) contains \"\(text)\"\(selector.heading == nil ? "" : " under that heading")",
                                "write a text one of the block's commands holds as written in the page")
                }
            }
            let found = candidates.map(\.element)
            if let index = selector.index {
                guard index <= candidates.count else {
                    return fail("index", "index = \(index), but \(selector.description.replacingOccurrences(of: ", index = \(index)", with: "")) names \(candidates.count) session block\(candidates.count == 1 ? "" : "s") of \(page) (lines \(lines(found)))",
                                "write an index from 1 to \(candidates.count)")
                }
                return .success(candidates[index - 1].offset)
            }
            guard candidates.count == 1 else {
                return fail(selector.contains != nil ? "contains" : (selector.heading != nil ? "heading" : "line"),
                            "\(selector.description) names \(candidates.count) session blocks of \(page) (lines \(lines(found)))",
                            "add index = N to pick one, or a contains = \"...\" only its commands hold")
            }
            return .success(candidates[0].offset)
        }

        /// `12, 20, 31`.
        static func lines(_ blocks: [SessionBlock]) -> String {
            blocks.isEmpty ? "none" : blocks.map { "\($0.openingLine)" }.joined(separator: ", ")
        }

        /// `"Examples", "Filtering"`: the distinct headings blocks stand under.
        static func headings(_ blocks: [SessionBlock]) -> String {
            var seen = Set<String>()
            let names = blocks.compactMap(\.heading).filter { seen.insert($0).inserted }
            return names.isEmpty ? "none" : names.map { "\"\(normalizedHeading($0, keepCase: true))\"" }.joined(separator: ", ")
        }
    }

    /// A heading as compared: inline HTML (`<a name="x"></a>`), code and emphasis marks left out,
    /// white space collapsed, lowercased unless `keepCase`.
    static func normalizedHeading(_ heading: String, keepCase: Bool = false) -> String {
        var text = ""
        var inTag = false
        for character in heading {
            if character == "<" { inTag = true; continue }
            if inTag { if character == ">" { inTag = false }; continue }
            if character == "`" || character == "*" { continue }
            text.append(character)
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        return keepCase ? words : words.lowercased()
    }
}
