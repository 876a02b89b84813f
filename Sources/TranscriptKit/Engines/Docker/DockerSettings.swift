/// The `[docker]` table of `transcript.toml` (the harness's own extension of the format): how
/// Docker engines are provided.
package struct DockerSettings: Sendable, Hashable {
    /// The dockerd program private engines run.
    package var dockerd: String?
    /// Where private engines keep their runtime directories (short: unix socket paths).
    package var runtimeRoot: String?
    /// Built-in fixture images loaded into each private engine: "busybox" or "none".
    package var fixtures: String?
    /// Further `docker save` archives loaded into each private engine, relative to the file.
    package var images: [String] = []
    /// A script run in each private engine before the file's first block, with DOCKER_HOST
    /// set, relative to the configuration file's directory.
    package var setup: String?
    /// dockerd's --storage-driver (default: dockerd's own choice).
    package var storageDriver: String?

    package init() {}

    static let keys = ["dockerd", "runtime-root", "fixtures", "images", "setup", "storage-driver"]

    /// Reads the `[docker]` section, reporting problems to `section`.
    static func parse(_ section: inout ConfigurationReader) -> DockerSettings {
        var settings = DockerSettings()
        section.rejectUnknownKeys(allowed: keys)
        settings.dockerd = section.string("dockerd")
        settings.runtimeRoot = section.string("runtime-root")
        settings.setup = section.string("setup")
        settings.storageDriver = section.string("storage-driver")
        if let fixtures = section.fixtures() { settings.fixtures = fixtures }
        if let images = section.strings("images", help: "write images = [\"fixtures/app.tar\"]") {
            settings.images = images
        }
        return settings
    }
}

extension Configuration {
    /// The `[docker]` section (defaults when the file has none).
    package var docker: DockerSettings {
        get { engineSettings[DockerEngineKind.name] as? DockerSettings ?? DockerSettings() }
        set { engineSettings[DockerEngineKind.name] = newValue }
    }
}

extension ConfigurationReader {
    /// An engine section's `fixtures` ("busybox" or "none"); nil, with a problem reported, for
    /// any other value.
    mutating func fixtures() -> String? {
        guard let fixtures = string("fixtures") else { return nil }
        guard ["busybox", "none"].contains(fixtures) else {
            problem("fixtures", "unknown fixtures '\(fixtures)'", "write fixtures = \"busybox\" or \"none\"")
            return nil
        }
        return fixtures
    }
}
