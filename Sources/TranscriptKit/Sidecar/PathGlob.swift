import PCRE2

/// A sidecar's document glob: `*` and `?` within one path component, `**` across components.
/// A glob matches a path when it matches the path's last components (as many as the glob has),
/// so `container_wait.md` and `commandline/*.md` name pages wherever the folder lies.
package struct PathGlob: Sendable {
    package let text: String
    private let regex: Regex

    package init(_ text: String) throws(RegexError) {
        self.text = text
        var pattern = "(?:^|/)"
        var characters = Substring(text.hasPrefix("./") ? String(text.dropFirst(2)) : text)
        while let first = characters.first {
            if characters.hasPrefix("**/") {
                pattern += "(?:[^/]*/)*"
                characters = characters.dropFirst(3)
                continue
            }
            if characters.hasPrefix("**") {
                pattern += ".*"
                characters = characters.dropFirst(2)
                continue
            }
            switch first {
            case "*": pattern += "[^/]*"
            case "?": pattern += "[^/]"
            default: pattern += Regex.escape(String(first))
            }
            characters = characters.dropFirst()
        }
        regex = try Regex(pattern + "$", options: [.utf])
    }

    /// Whether the glob names `path` (relative or absolute, as discovery lists it).
    package func matches(_ path: String) -> Bool {
        regex.matches(path)
    }
}
