#if canImport(Glibc)
import Glibc
#endif

/// `[media]`: the RTP/SRTP relay the B2BUA anchors trunk calls on.
public struct MediaRelaySettings: Hashable, Sendable {
    /// Whether bridged calls' media goes through the relay (else SDP passes unchanged).
    public var enabled: Bool
    /// The UDP ports RTP (even) and RTCP (odd) pairs are taken from.
    public var ports: ClosedRange<UInt16>
    /// Addresses written into SDP and bound; empty uses the SIP address toward the peer.
    public var relayIPv4: String
    public var relayIPv6: String
    /// A call with no RTP on any stream for this long is ended with BYE on both legs.
    public var timeout: Duration
    /// When trunk calls are anchored: always, only when the caller looks NATed, or never.
    public var relay: RelayMode
    /// Calls between registered users: bridged through the B2BUA and relayed
    /// always, only when a phone looks NATed, or never (proxied, media end to end).
    public var localCalls: RelayMode
    /// Whether plain RTP is forwarded in the kernel when it allows (restart only).
    public var kernelForwarding: KernelForwardingMode

    public enum RelayMode: String, Hashable, Sendable, CaseIterable {
        case always
        case nat
        case never
    }

    public enum KernelForwardingMode: String, Hashable, Sendable, CaseIterable {
        /// Try at start; relay in user space when the kernel refuses.
        case auto
        case off
    }

    public init(
        enabled: Bool = true, ports: ClosedRange<UInt16> = 30000...39999, relayIPv4: String = "", relayIPv6: String = "",
        timeout: Duration = .seconds(60), relay: RelayMode = .always, localCalls: RelayMode = .nat,
        kernelForwarding: KernelForwardingMode = .auto
    ) {
        self.enabled = enabled
        self.ports = ports
        self.relayIPv4 = relayIPv4
        self.relayIPv6 = relayIPv6
        self.timeout = timeout
        self.relay = relay
        self.localCalls = localCalls
        self.kernelForwarding = kernelForwarding
    }

    init(reading section: inout ConfigurationSection) {
        enabled = section.boolean("enabled", default: true)
        let low = section.integer("port_min", default: 30000, range: 1024...65534)
        var high = section.integer("port_max", default: 39999, range: 1025...65535)
        if high < low + 1 {
            section.report(.invalid("\(high) leaves no RTP/RTCP pair above port_min (\(low))"), at: "port_max")
            high = low + 1
        }
        ports = UInt16(low)...UInt16(high)
        relayIPv4 = section.string("relay_ipv4", default: "")
        if !relayIPv4.isEmpty, IPEndpoint.canonicalAddress(relayIPv4, family: AF_INET) == nil {
            section.report(.invalid("not an IPv4 address: \"\(relayIPv4)\""), at: "relay_ipv4")
        }
        relayIPv6 = section.string("relay_ipv6", default: "")
        if !relayIPv6.isEmpty, IPEndpoint.canonicalAddress(relayIPv6, family: AF_INET6) == nil {
            section.report(.invalid("not an IPv6 address: \"\(relayIPv6)\""), at: "relay_ipv6")
        }
        timeout = .seconds(section.integer("timeout", default: 60, range: 5...86_400))
        relay = section.choice("relay", default: .always, what: "relay mode")
        localCalls = section.choice("local_calls", default: .nat, what: "local call media mode")
        kernelForwarding = section.choice("kernel_forwarding", default: .auto, what: "kernel forwarding mode")
    }
}
