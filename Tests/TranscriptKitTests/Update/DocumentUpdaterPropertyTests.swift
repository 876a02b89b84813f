import Foundation
import Testing
@testable import TranscriptKit

/// A small deterministic generator, so a failing document can be regenerated from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite(.serialized) struct DocumentUpdaterPropertyTests {
    /// Output lines chosen to hit every escaping rule.
    static let outputPool = ["plain", "", "$ ls", "$", "...", "[3]", "x (re)", "y (no-eol)", "```", "~~~~", "{{int}}",
                             "> q", "\tt", "a\u{1b}[0mb", "-->", "42", "caf\u{e9}", "  indented", "7 items", "more text"]
    /// Expected lines an author might have written, right or wrong.
    static let expectedPool = ["plain", "other", "{{int}}", "...", "{{any}}", "{{int}} items", "42", "more {{/[a-z]+/}}", ""]


    static func document(seed: UInt64) -> String {
        var random = SeededGenerator(seed: seed)
        let ending = Bool.random(using: &random) ? "\n" : "\r\n"
        var lines = ["# Document \(seed)", ""]
        for blockIndex in 0..<Int.random(in: 1...3, using: &random) {
            lines += ["Block \(blockIndex) says something.", ""]
            let containers = [("", ""), ("> ", "> "), ("- ", "  "), ("1. ", "   "), ("> - ", ">   ")]
            let (first, rest) = containers.randomElement(using: &random) ?? ("", "")
            let hidden = first.isEmpty && Int.random(in: 0..<5, using: &random) == 0
            let fence = ["```", "~~~", "````"].randomElement(using: &random) ?? "```"
            if first.isEmpty, !hidden, Int.random(in: 0..<4, using: &random) == 0 { lines.append("<!-- transcript: exact -->") }
            lines.append(first + (hidden ? "<!-- transcript" : fence + (Bool.random(using: &random) ? "console" : "sh-session")))
            func content(_ text: String) { lines.append(text.isEmpty ? rest.trimmingTrailingBlanks : rest + text) }
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                var output = ""
                let count = Int.random(in: 0...4, using: &random)
                for index in 0..<count {
                    output += outputPool.randomElement(using: &random) ?? ""
                    if index < count - 1 || Int.random(in: 0..<6, using: &random) != 0 { output += "\n" }
                }
                let status = [0, 0, 0, 1, 3].randomElement(using: &random) ?? 0
                let encoded = Data(output.utf8).base64EncodedString()
                content("$ printf %s '\(encoded)' | base64 -d; (exit \(status))")
                for _ in 0..<Int.random(in: 0...3, using: &random) { content(expectedPool.randomElement(using: &random) ?? "") }
                if Int.random(in: 0..<3, using: &random) == 0 { content("[\([1, 2, 3].randomElement(using: &random) ?? 1)]") }
                if Int.random(in: 0..<4, using: &random) == 0 { content("") }
            }
            lines.append(hidden ? "-->" : rest + fence)
            lines.append("")
        }
        lines.append("The end.")
        var text = lines.joined(separator: ending)
        if Bool.random(using: &random) { text += ending }
        return text
    }

    /// Every line that is not a command's expected output, with its ending: what update mode
    /// must never change.
    static func skeleton(_ text: String) throws -> [String] {
        let source = SourceFile(path: "doc.md", text: text)
        let transcript = try MarkdownParser.parse(source)
        var output = Set<Int>()
        for block in transcript.blocks {
            for command in block.commands { output.formUnion(command.outputLines) }
        }
        return source.lines.indices.filter { !output.contains($0 + 1) }.map { source.lines[$0] + "|" + source.endings[$0] }
    }

    @Test func updatedDocumentsPassAndKeepEverythingElse() throws {
        let directory = NSTemporaryDirectory() + "transcript-update-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var settings = RunSettings()
        settings.environment = ProcessInfo.processInfo.environment
        settings.timeout = .seconds(10)
        let resolver = ConfigurationResolver()
        let engines = EngineSet(mode: .private, environment: settings.environment)
        var updated = 0
        for seed in UInt64(1)...200 {
            let text = Self.document(seed: seed)
            let path = directory + "/doc\(seed).md"
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            let runner = FileRunner(settings: settings, configurations: resolver, engines: engines, observer: nil)
            let outcome = runner.run(path: path)
            try #require(outcome.status != .invalid, "seed \(seed): \(outcome.diagnostics)\n\(text)")
            guard outcome.status == .failed else { continue }
            let plan = try #require(UpdateInvocation.plan(outcome, update: UpdateSettings()))
            let source = try SourceFile.read(path: path)
            let newText = DocumentUpdater.apply(plan.changes, to: source)
            #expect(plan.updater.verify(newText, changes: plan.changes) == nil, "seed \(seed)")
            #expect(try Self.skeleton(newText) == Self.skeleton(text), "seed \(seed)")
            try newText.write(toFile: path, atomically: false, encoding: .utf8)
            let again = FileRunner(settings: settings, configurations: resolver, engines: engines, observer: nil).run(path: path)
            #expect(again.status == .passed, "seed \(seed):\n\(text)\n---\n\(newText)")
            updated += 1
        }
        #expect(updated > 100)
    }
}
