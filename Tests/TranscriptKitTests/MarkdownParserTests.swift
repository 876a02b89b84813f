import Testing
@testable import TranscriptKit

@Test func emptyDocumentHasNoBlocks() throws {
    let transcript = try MarkdownParser.parse(SourceFile(path: "t.md", text: ""))
    #expect(transcript.blocks.isEmpty)
}
