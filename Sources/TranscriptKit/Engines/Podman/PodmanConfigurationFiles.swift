import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The containers.conf and storage.conf of one private Podman engine, in its directory: every
/// path Podman would otherwise take from the host's configuration (locks in /dev/shm, the events
/// log in /run, image copies in /var/tmp) points inside the directory, but for the run root and
/// temporary directory (Podman refuses a run root longer than 50 bytes, and keeps sockets
/// there): those stay at Podman's defaults in /run, which is the engine's own tmpfs.
struct PodmanConfigurationFiles {
    let directory: String
    var storageDriver: String?

    /// The storage driver written: the one given, else overlay.
    var driver: String { storageDriver ?? "overlay" }
    var containersConf: String { directory + "/containers.conf" }
    var storageConf: String { directory + "/storage.conf" }

    /// The variables that make Podman read these files and no others.
    var environment: [String: String] {
        ["CONTAINERS_CONF": containersConf, "CONTAINERS_STORAGE_CONF": storageConf,
         "CONTAINERS_REGISTRIES_CONF": directory + "/registries.conf"]
    }

    /// The text of containers.conf. Without CAP_SYS_RESOURCE in a container, Podman's default
    /// open-file limit (1048576) fails every container: the defaults here are what the harness
    /// itself may grant.
    var containersText: String {
        """
        [containers]
        default_ulimits = ["nofile=\(Self.openFileLimit):\(Self.openFileLimit)", "nproc=32768:32768"]

        [engine]
        lock_type = "file"
        events_logger = "file"
        events_logfile_path = \(quoted(directory + "/events.log"))
        cgroup_manager = "cgroupfs"
        runtime = "runc"
        image_copy_tmp_dir = \(quoted(directory + "/tmp"))
        volume_path = \(quoted(directory + "/volumes"))
        static_dir = \(quoted(directory + "/root/libpod"))

        [network]
        network_config_dir = \(quoted(directory + "/networks"))

        """
    }

    /// The text of storage.conf.
    var storageText: String {
        "[storage]\ndriver = \(quoted(driver))\n"
            + "runroot = \"/run/containers/storage\"\ngraphroot = \(quoted(directory + "/root"))\n"
    }

    /// Writes both files (and an empty registries.conf: no registry is searched for short names).
    func write() throws(DockerEngineError) {
        for (path, text) in [(containersConf, containersText), (storageConf, storageText), (directory + "/registries.conf", "")] {
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw DockerEngineError("cannot write \(path)")
            }
        }
    }

    /// The harness's hard limit of open files.
    static var openFileLimit: UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return UInt64(limit.rlim_max)
    }

    /// A TOML basic string.
    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
