/// The `[report]` section: how the conformance reports link each block to its source.
///
///     [report]
///     source_url = "https://github.com/org/repo/blob/main/{path}#L{line}"
///
/// `{path}` is the file's path relative to the directory of this `transcript.toml`, `{line}`
/// the 1-based line.
extension Configuration {
    /// The fields a `source_url` template may hold.
    static let sourceURLFields = ["{path}", "{line}"]

    /// Reads `[report]`.
    mutating func readReportSection(_ reader: inout ConfigurationReader) {
        guard var section = reader.subsection("report") else { return }
        section.rejectUnknownKeys(allowed: ["source_url"])
        if let template = section.string("source_url") {
            if let problem = Self.sourceURLProblem(template) {
                section.problem("source_url", problem,
                                "write source_url = \"https://github.com/ORG/REPO/blob/main/{path}#L{line}\"")
            } else {
                sourceURL = template
            }
        }
        reader.append(section.problems)
    }

    /// What is wrong with a `source_url` template: no `{path}`, or a field other than `{path}`
    /// and `{line}`; nil when nothing is.
    static func sourceURLProblem(_ template: String) -> String? {
        guard template.contains("{path}") else { return "source_url '\(template)' has no {path}" }
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let field = rest[open...].prefix { $0 != "}" }
            guard field.endIndex < rest.endIndex, sourceURLFields.contains(field + "}") else {
                return "source_url '\(template)' has an unknown field '\(field)\(field.endIndex < rest.endIndex ? "}" : "")'; the fields are {path} and {line}"
            }
            rest = rest[rest.index(after: field.endIndex)...]
        }
        return nil
    }
}
