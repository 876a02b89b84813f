import Testing
@testable import PCRE2

@Suite struct RegexTests {
    @Test func wholeLineMatching() throws {
        let regex = try Regex("id-[0-9]+", options: .wholeLine)
        #expect(regex.matches("id-42"))
        #expect(!regex.matches("id-42x"))
        #expect(!regex.matches("xid-42"))
    }

    @Test func jitIsUsed() throws {
        let regex = try Regex("a+b", options: .wholeLine)
        #expect(regex.isJITCompiled)
    }

    @Test func compileErrorCarriesMessageAndOffset() {
        #expect(throws: RegexError.self) { try Regex("ab(c") }
        do {
            _ = try Regex("ab(c")
        } catch {
            #expect(error.message.contains("missing closing parenthesis"))
            #expect(error.offset == 4)
        }
    }

    @Test func groupRangesAreByteOffsets() throws {
        let regex = try Regex("é(?<n>[0-9]+)", options: .wholeLine)
        let match = try #require(regex.firstMatch(in: "é123"))
        #expect(match[group: 1] == 2..<5)
        #expect(regex.groupNumber(named: "n") == 1)
        #expect(regex.groupNumber(named: "missing") == nil)
    }

    @Test func invalidUTF8NeverCrashes() throws {
        let regex = try Regex("a.c", options: .wholeLine)
        let bytes: [UInt8] = [0x61, 0xFF, 0x63]
        let matched = bytes.withUnsafeBufferPointer { regex.matches($0) }
        #expect(!matched)
    }

    @Test func matchesWithGroups() throws {
        let regex = try Regex("(a)(b)?c", options: .wholeLine)
        #expect(Array("ac".utf8).withUnsafeBufferPointer { regex.matches($0) })
        #expect(!Array("abd".utf8).withUnsafeBufferPointer { regex.matches($0) })
    }

    @Test(arguments: ["a.b", "(x)", "[z]", "1+1", "a\\b", "{{x}}", "$^", "tab\there", "é ü"])
    func escapeMatchesItselfOnly(text: String) throws {
        let regex = try Regex(Regex.escape(text), options: .wholeLine)
        #expect(regex.matches(text))
        #expect(!regex.matches(text + "x"))
    }
}
