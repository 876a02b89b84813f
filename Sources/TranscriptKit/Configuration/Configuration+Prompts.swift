/// `prompts`: the shapes of prompts the pages answer, besides the built-in ones.
extension Configuration {
    /// Reads `prompts = ["Password:", ...]`; each shape is checked (`PromptShapes.problem`).
    mutating func readPrompts(_ reader: inout ConfigurationReader) {
        let help = "write prompts = [\"Password:\"]: how each prompt ends as the program prints it"
        guard let shapes = reader.strings("prompts", help: help) else { return }
        for shape in shapes {
            if let (message, help) = PromptShapes.problem(with: shape) {
                reader.problem("prompts", message, help)
            } else {
                prompts.append(shape)
            }
        }
    }
}
