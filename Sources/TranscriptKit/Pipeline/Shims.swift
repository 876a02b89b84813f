// Temporary stand-ins until the matching stage lands.
extension Bindings {
    package func substitute(in text: String) -> String { text }
}
extension MatchResult {
    package var message: String? { nil }
}
extension PatternLibrary {
    package var table: [(name: String, regex: String)] { [] }
}
extension MatchResult {
    package var firstMismatchLine: Int? { nil }
}
