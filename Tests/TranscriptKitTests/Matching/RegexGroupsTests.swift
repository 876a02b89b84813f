import Testing
@testable import TranscriptKit

@Suite struct RegexGroupsTests {
    @Test(arguments: [
        ("(a)(b)", 2), ("(?:a)(?<n>b)(?'m'c)(?P<o>d)", 3), ("(?<=a)(?<!b)(?=c)(?!d)", 0), ("\\(a\\)", 0),
        ("[(]\\Q(\\E(x", 1), ("(?#(comment)(y)", 1), ("[]()][^]()]", 0), ("[[:alpha:](](z)", 1), ("(*UTF)(a", 1),
    ])
    func captureCount(source: String, count: Int) {
        #expect(RegexGroups.captureCount(source) == count)
    }

    @Test(arguments: [
        ("(a)\\1", 2, "(a)\\3"), ("(a)\\g1\\g{1}\\g<1>\\g'1'", 1, "(a)\\g2\\g{2}\\g<2>\\g'2'"),
        ("(a)(?1)(?(1)b|c)", 3, "(a)(?4)(?(4)b|c)"), ("(a)\\g{-1}(?-1)(?+1)(b)", 5, "(a)\\g{-1}(?-1)(?+1)(b)"),
        ("[\\1]\\Q\\1\\E\\01", 2, "[\\1]\\Q\\1\\E\\01"), ("\\k<n>(?&n)", 4, "\\k<n>(?&n)"), ("(a)\\12", 1, "(a)\\13"),
    ])
    func referencesShift(source: String, offset: Int, shifted: String) {
        #expect(RegexGroups.shiftingReferences(source, by: offset) == shifted)
    }

    @Test func inlinePatternsKeepTheirOwnGroupNumbers() throws {
        #expect(try Fixture.run(["{{N=int}} {{/(a)\\1/}} {{/(b)\\1/}}"], "5 aa bb\n").passed)
        #expect(try !Fixture.run(["{{/(a)\\1/}} {{/(b)\\1/}}"], "aa ba\n").passed)
        #expect(try Fixture.run(["{{X=/(a)\\1/}}"], "aa\n").passed)
    }
}
