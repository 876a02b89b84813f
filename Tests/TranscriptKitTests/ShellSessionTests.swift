import Testing
@testable import TranscriptKit

@Suite struct ShellSessionTests {
    @Test func placeholder() throws {
        let session = try ShellSession(configuration: .init(workingDirectory: "/tmp", environment: ["PATH": "/usr/bin:/bin"]))
        let result = session.run("echo hi", timeout: nil)
        #expect(result.output == Array("hi\n".utf8))
    }
}
