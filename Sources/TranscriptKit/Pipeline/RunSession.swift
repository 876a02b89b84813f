import Foundation

/// One invocation of `transcript run`: discovery, the run itself, the report and the exit status.
package enum RunSession {
    /// Runs every transcript under `paths` and returns the exit status.
    package static func run(paths: [String], settings: RunSettings, engines: (any EngineProvider)? = nil) -> Int32 {
        let style = Style.detect(environment: settings.environment)
        let reporter = PrettyReporter(style: style, verbose: settings.verbose, jobs: settings.jobs)
        let files: [String]
        switch Discovery.files(for: paths) {
        case .failure(let diagnostics):
            for item in diagnostics.items { OutputStream.standardError.write("transcript: " + item.description + "\n") }
            OutputStream.standardOutput.write(Summary().line + "\n")
            return 2
        case .success(let found):
            files = found
        }
        let provider = engines ?? DockerEngineProvider(mode: settings.engine, environment: settings.environment)
        Interruption.install()
        let fileRunner = FileRunner(settings: settings, configurations: ConfigurationResolver(), engines: provider, observer: reporter)
        let runner = Runner(fileRunner: fileRunner, jobs: settings.jobs)
        let outcomes = runner.run(files: files) { outcome in reporter.report(outcome) }
        let summary = Summary(outcomes)
        reporter.summary(summary)
        return summary.exitCode
    }

    /// Prints the named patterns: the built-in table and those of the nearest transcript.toml.
    package static func printPatterns(directory: String) -> Int32 {
        let resolver = ConfigurationResolver()
        do {
            let configuration = try resolver.configuration(forDirectory: absolute(directory))
            let library = try resolver.patternLibrary(for: configuration)
            for row in library.table {
                OutputStream.standardOutput.write("\(row.name)\t\(row.regex)\n")
            }
            return 0
        } catch {
            OutputStream.standardError.write(error.description + "\n")
            return 2
        }
    }
}
