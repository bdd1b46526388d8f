import SIPCore

/// Rewrites an SDP so that the peer it goes to sends media to the relay
/// (RFC 3264 offer/answer, RFC 8866 syntax).
///
/// Every `c=` line (session and media level) gets the relay address and every
/// active `m=` line its relay port; m-lines keep their number, order and
/// formats. Port 0 stays 0. A `c=0.0.0.0` (RFC 3264 8.4, old-style hold) is
/// kept, so the hold passes through; direction attributes pass untouched.
/// `a=rtcp` (RFC 3605) follows the relay's RTCP port. ICE attributes are
/// removed when the leg does not use ICE, and `a=rtcp-mux` is kept only when
/// the relay muxes this leg (configure the session the same way).
public struct SDPRelayRewrite: Sendable, Hashable {
    /// The relay's address facing the peer, as SDP writes it (`192.0.2.10`, `2001:db8::10`).
    public var address: String
    /// Keep `a=candidate`, `a=ice-ufrag` and the other ICE lines (RFC 8839).
    public var keepICE: Bool
    /// The relay sends and receives this leg's RTCP on the RTP port (RFC 5761).
    public var rtcpMux: Bool

    /// ICE attributes of RFC 8839 and RFC 8840, at session and media level.
    public static let iceAttributes: Set<String> = [
        "candidate", "remote-candidates", "ice-ufrag", "ice-pwd", "ice-options", "ice-lite", "ice-mismatch",
        "ice-pacing", "end-of-candidates",
    ]

    public init(address: String, keepICE: Bool = false, rtcpMux: Bool = false) {
        self.address = address
        self.keepICE = keepICE
        self.rtcpMux = rtcpMux
    }

    /// Rewrites `description` in place. `ports` holds the relay ports of every
    /// m-line whose port is not 0, by m-line index.
    public func apply(to description: inout SessionDescription, ports: [Int: SDPRelayPorts]) throws(SDPRewriteError) {
        for index in description.media.indices where description.media[index].port != 0 {
            guard ports[index] != nil else { throw .missingRelayPorts(mediaIndex: index) }
        }
        if let connection = description.connection, !connection.isUnspecifiedAddress {
            description.connection = SDPConnection(address: address)
        }
        if !keepICE {
            description.removeAttributes { Self.iceAttributes.contains($0.name) }
        }
        for index in description.media.indices {
            var media = description.media[index]
            guard let relay = ports[index], media.port != 0 else {
                description.media[index] = media
                continue
            }
            media.port = relay.rtp
            media.portCount = nil
            media.connections = media.connections.map { $0.isUnspecifiedAddress ? $0 : SDPConnection(address: address) }
            if !keepICE {
                media.removeAttributes { Self.iceAttributes.contains($0.name) }
            }
            if rtcpMux {
                if !media.isRTCPMuxed { media.attributes.append(SDPAttribute(name: "rtcp-mux")) }
            } else {
                media.removeAttributes { $0.name == "rtcp-mux" || $0.name == "rtcp-mux-only" }
            }
            if let rtcp = media.rtcp {
                let port = rtcpMux ? relay.rtp : relay.rtcp
                var connection: SDPConnection?
                if let old = rtcp.connection {
                    connection = old.isUnspecifiedAddress ? old : SDPConnection(address: address)
                }
                media.setAttribute("rtcp", value: SDPRTCPAttribute(port: port, connection: connection).attributeValue)
            }
            description.media[index] = media
        }
    }
}
