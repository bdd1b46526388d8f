import CSRTP

/// Authenticates and decrypts packets from an SRTP peer (SRTP → RTP, SRTCP → RTCP; RFC 3711 3.3, 3.4):
/// forged or altered packets drop as `authenticationFailed`, repeats as `replayed`.
public final class SRTPUnprotector: MediaPacketTransform {
    private let session: SRTPSession

    /// `replayWindow` is how many packets back a late packet is still accepted (RFC 3711 3.3.2; at least 64).
    public init(key: SRTPKeyMaterial, replayWindow: Int = 1024) throws(SRTPError) {
        session = try SRTPSession(key: key, direction: .inbound, replayWindow: replayWindow)
    }

    /// True once the key's lifetime is spent: packets are dropped until the call is re-keyed.
    public var isKeyExhausted: Bool { session.packetsRemaining == 0 }

    public func transformRTP(_ packet: inout [UInt8]) -> MediaTransformResult {
        guard packet.count >= RTPHeader.fixedLength, packet[0] >> 6 == 2 else { return .drop(.malformed) }
        guard session.hasLifetimeLeft else { return .drop(.internalError) }
        let status = session.unprotectRTP(&packet)
        guard status == srtp_err_status_ok else { return .drop(status.dropReason) }
        session.consumeLifetime()
        return .forward
    }

    public func transformRTCP(_ packet: inout [UInt8]) -> MediaTransformResult {
        guard packet.count >= 8, packet[0] >> 6 == 2 else { return .drop(.malformed) }
        guard session.hasLifetimeLeft else { return .drop(.internalError) }
        let status = session.unprotectRTCP(&packet)
        guard status == srtp_err_status_ok else { return .drop(status.dropReason) }
        session.consumeLifetime()
        return .forward
    }
}

extension SRTPUnprotector: CustomStringConvertible {
    public var description: String { "SRTPUnprotector(key: <redacted>)" }
}
