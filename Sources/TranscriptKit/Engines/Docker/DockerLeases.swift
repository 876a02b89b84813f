/// A private Docker engine in use by one file.
typealias DockerPrivateLease = PrivateEngineLease<DockerEngineKind, DockerEngine>

extension DockerEngine: PrivateEngineProcess {}
