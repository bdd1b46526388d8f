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

    public func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        session.transform(&packet, minimumLength: RTPHeader.fixedLength, .unprotectRTP)
    }

    public func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        session.transform(&packet, minimumLength: 8, .unprotectRTCP)
    }
}

extension SRTPUnprotector: CustomStringConvertible {
    public var description: String { "SRTPUnprotector(key: <redacted>)" }
}
