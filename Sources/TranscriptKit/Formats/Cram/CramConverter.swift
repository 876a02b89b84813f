import Foundation

/// `transcript convert`: a cram `.t` file written as a Markdown transcript that passes under
/// the Markdown rules where the `.t` file passes under cram's. Prose stays prose, each block
/// becomes a ```console block, each expected line the Markdown line that matches the same
/// output (`CramLineConversion`), and the file option comment carries what cram gives every
/// test: `exact`, its environment and shell, and `skip-exit=80`.
package enum CramConverter {
    /// The Markdown for `source`, read with `settings`; every line that cannot be converted
    /// faithfully is an error.
    package static func convert(_ source: SourceFile, settings: CramSettings) throws(Diagnostics) -> String {
        let format = CramFormat(settings: settings)
        let transcript = try format.parse(source)
        let conversion = CramLineConversion(indent: format.indent, file: source.path)
        var problems: [Diagnostic] = []
        var out = "<!-- transcript-file: " + fileOptions(transcript.fileOptions) + " -->\n"
        // cram runs a file of prose alone, and it passes; a Markdown file needs a session to run.
        if transcript.blocks.isEmpty, !source.text.isEmpty { out += "<!-- transcript\n$ true\n-->\n" }
        var blocks = transcript.blocks[...]
        var number = 1
        while number <= source.lines.count {
            if let block = blocks.first, block.openingLine == number {
                do {
                    out += try render(block, conversion: conversion)
                } catch {
                    problems.append(error)
                }
                number = block.closingLine
                blocks = blocks.dropFirst()
                continue
            }
            out += prose(source.lines[number - 1]) + "\n"
            number += 1
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return out
    }

    /// What every converted file runs with.
    static func fileOptions(_ options: Options) -> String {
        var words = ["exact"]
        if let environment = options.environment { words.append("environment=" + environment.rawValue) }
        if let shell = options.shell { words.append("shell=" + shell) }
        if let skip = options.skipExit { words.append("skip-exit=\(skip)") }
        return words.joined(separator: " ")
    }

    /// A prose line that Markdown would read as a fence or a hidden session, escaped.
    static func prose(_ line: String) -> String {
        let trimmed = line.drop { $0 == " " }
        let indent = line.count - trimmed.count
        if indent < 4, trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") || trimmed.hasPrefix("<!--") {
            return String(line.prefix(indent)) + "\\" + trimmed
        }
        return line
    }

    /// One block as a ```console block.
    static func render(_ block: SessionBlock, conversion: CramLineConversion) throws(Diagnostic) -> String {
        let lines = try MarkdownConversion.sessionLines(block, file: conversion.file) { line, command throws(Diagnostic) in
            try conversion.convert(line, command: command)
        }
        return MarkdownFormat().renderBlock(lines: lines, options: [], ending: "\n")
    }
}
