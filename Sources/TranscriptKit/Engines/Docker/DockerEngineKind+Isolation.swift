import Foundation

/// What a file's shell sees of the engines' runtime roots in a private run (`EngineRuntimeRoots`).
extension DockerEngineKind {
    /// Where fixture archives are cached, whatever the runtime root.
    static let defaultRuntimeRoot = EngineRuntimeRoots.defaultRoot

    /// The runtime root `configuration` names.
    static func runtimeRoot(_ configuration: Configuration) -> String {
        configuration.docker.runtimeRoot ?? defaultRuntimeRoot
    }

    /// The roots covered for `file`, keeping `own` (its engine's directory and fixture
    /// archives' directories) and the file's own directory where a root holds it. None outside a
    /// private run or where mount namespaces cannot be made.
    func coveredRoots(for file: EngineFile, keeping own: [String] = []) -> [CoveredDirectory] {
        runtimeRoots.covered(for: file, root: Self.runtimeRoot(file.configuration), keeping: own, mode: mode)
    }

    /// The directories of `archives` (the fixtures a file may `docker load -i`).
    static func archiveDirectories(_ fixtures: DockerFixtures?) -> [String] {
        EngineRuntimeRoots.archiveDirectories(fixtures)
    }
}
