import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.0 exchange with the daemon over its unix socket: enough for `/_ping`,
/// `/version` and `/images/load` without starting the docker client.
enum DockerSocketHTTP {
    struct Response {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends one request and reads the response until the daemon closes the connection.
    static func request(
        socket path: String, method: String, target: String,
        body: [UInt8] = [], contentType: String? = nil, timeout: Duration
    ) throws(DockerEngineError) -> Response {
        let fd = try connect(to: path, timeout: timeout)
        defer { close(fd) }
        var head = "\(method) \(target) HTTP/1.0\r\nHost: docker\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        if method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try writeAll(fd, Array(head.utf8))
        if !body.isEmpty { try writeAll(fd, body) }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw DockerEngineError("reading from \(path): \(String(cString: strerror(errno)))")
            }
            received.append(contentsOf: buffer[0..<n])
        }
        return try parse(received, from: path)
    }

    /// True when the daemon answers `GET /_ping` with 200.
    static func ping(socket path: String) -> Bool {
        guard let response = try? request(socket: path, method: "GET", target: "/_ping", timeout: .seconds(2)) else {
            return false
        }
        return response.status == 200
    }

    private static func parse(_ bytes: [UInt8], from path: String) throws(DockerEngineError) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        if bytes.count >= 4 {
            for i in 0...(bytes.count - 4) where bytes[i..<(i + 4)].elementsEqual(separator) {
                headerEnd = i
                break
            }
        }
        guard let headerEnd else {
            throw DockerEngineError("malformed HTTP response from \(path)")
        }
        let head = String(decoding: bytes[0..<headerEnd], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let status = Int(fields[1]) else {
            throw DockerEngineError("malformed HTTP status line from \(path): \(statusLine)")
        }
        return Response(status: status, body: Array(bytes[(headerEnd + 4)...]))
    }

    private static func connect(to path: String, timeout: Duration) throws(DockerEngineError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DockerEngineError("socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            close(fd)
            throw DockerEngineError("socket path is longer than \(capacity - 1) bytes: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in pathBytes.enumerated() { raw[i] = byte }
            raw[pathBytes.count] = 0
        }
        var limit = timeval(
            tv_sec: Int(timeout.components.seconds),
            tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw DockerEngineError("connect(\(path)): \(message)")
        }
        return fd
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(DockerEngineError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw DockerEngineError("writing to the daemon: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}
