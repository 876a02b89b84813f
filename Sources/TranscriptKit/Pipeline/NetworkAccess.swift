import Foundation

/// Whether a block's commands can reach the network, for `requires=network`. A private engine
/// has no network at all, so a block that talks to one never can; other commands can where the
/// host has a default route. `TRANSCRIPT_NETWORK=off` (or `on`) says so instead of the route.
package enum NetworkAccess {
    /// The variable that overrides the look at the routing table: `off`/`0` or `on`/`1`.
    package static let variable = "TRANSCRIPT_NETWORK"

    /// Why the network cannot be had, or nil when it can. `engineMode` is set when the block's
    /// commands talk to an engine (the block or its file requires one).
    package static func unavailableReason(engineMode: EngineMode?, environment: [String: String],
                                          hasDefaultRoute: () -> Bool = NetworkAccess.hostHasDefaultRoute) -> String? {
        let declared = environment[variable].map { $0.lowercased() }
        if declared == "off" || declared == "0" {
            return "requires network: \(variable)=\(environment[variable] ?? "off")"
        }
        if engineMode == .private {
            return "requires network: a private engine has no network (--engine host runs against your own)"
        }
        if declared == "on" || declared == "1" { return nil }
        return hasDefaultRoute() ? nil : "requires network: the host has no default route"
    }

    /// Whether the kernel's routing tables hold a default route (IPv4 or IPv6) on a device other
    /// than loopback.
    package static func hostHasDefaultRoute() -> Bool {
        let v4 = (try? String(contentsOfFile: "/proc/net/route", encoding: .utf8)) ?? ""
        let v6 = (try? String(contentsOfFile: "/proc/net/ipv6_route", encoding: .utf8)) ?? ""
        return hasDefaultRoute(ipv4: v4, ipv6: v6)
    }

    /// Whether `/proc/net/route` (`ipv4`) or `/proc/net/ipv6_route` (`ipv6`) text has a default route.
    package static func hasDefaultRoute(ipv4: String, ipv6: String) -> Bool {
        for line in ipv4.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
            if fields.count > 7, fields[0] != "lo", fields[1] == "00000000", fields[7] == "00000000" { return true }
        }
        for line in ipv6.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // destination prefix-length source source-length next-hop metric refcnt use flags device
            if fields.count >= 10, fields[0] == Substring(String(repeating: "0", count: 32)), fields[1] == "00",
               fields[9] != "lo" {
                return true
            }
        }
        return false
    }
}
