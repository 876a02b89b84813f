/// The `[podman]` table of `transcript.toml` (the harness's own extension of the format): how
/// Podman engines are provided. Fixtures, images, setup and runtime root the table leaves out
/// are the `[docker]` table's, so that one suite runs on either engine with the same images.
package struct PodmanSettings: Sendable, Hashable {
    /// The podman program private engines run.
    package var podman: String?
    /// Where private engines keep their runtime directories (short: unix socket paths).
    package var runtimeRoot: String?
    /// Built-in fixture images loaded into each private engine: "busybox" or "none".
    package var fixtures: String?
    /// Further `docker save` archives loaded into each private engine, relative to the file.
    package var images: [String]?
    /// A script run in each private engine before the file's first block, with DOCKER_HOST and
    /// CONTAINER_HOST set, relative to the configuration file's directory.
    package var setup: String?
    /// Podman's storage driver (default: its own choice).
    package var storageDriver: String?

    package init() {}

    static let keys = ["podman", "runtime-root", "fixtures", "images", "setup", "storage-driver"]

    /// Reads the `[podman]` section, reporting problems to `section`.
    static func parse(_ section: inout ConfigurationReader) -> PodmanSettings {
        var settings = PodmanSettings()
        section.rejectUnknownKeys(allowed: keys)
        settings.podman = section.string("podman")
        settings.runtimeRoot = section.string("runtime-root")
        settings.setup = section.string("setup")
        settings.storageDriver = section.string("storage-driver")
        if let fixtures = section.fixtures() { settings.fixtures = fixtures }
        settings.images = section.strings("images", help: "write images = [\"fixtures/app.tar\"]")
        return settings
    }
}

extension Configuration {
    /// The `[podman]` section (defaults when the file has none).
    package var podman: PodmanSettings {
        get { engineSettings[PodmanEngineKind.name] as? PodmanSettings ?? PodmanSettings() }
        set { engineSettings[PodmanEngineKind.name] = newValue }
    }

    /// The fixtures a Podman engine loads: `[podman]`'s, else `[docker]`'s.
    var podmanFixtures: String? { podman.fixtures ?? docker.fixtures }
    var podmanImages: [String] { podman.images ?? docker.images }
    var podmanSetup: String? { podman.setup ?? docker.setup }
    var podmanRuntimeRoot: String { podman.runtimeRoot ?? docker.runtimeRoot ?? EngineRuntimeRoots.defaultRoot }
}
