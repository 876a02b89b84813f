/// A private Podman engine in use by one file.
typealias PodmanPrivateLease = PrivateEngineLease<PodmanEngineKind, PodmanEngine>

extension PodmanEngine: PrivateEngineProcess {}
