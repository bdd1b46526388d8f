import CSRTP

/// Encrypts and authenticates packets going to an SRTP peer (RTP → SRTP, RTCP → SRTCP; RFC 3711 3.3, 3.4).
public final class SRTPProtector: MediaPacketTransform {
    private let session: SRTPSession

    public init(key: SRTPKeyMaterial) throws(SRTPError) {
        session = try SRTPSession(key: key, direction: .outbound)
    }

    /// True once the key's lifetime is spent: packets are dropped until the call is re-keyed.
    public var isKeyExhausted: Bool { session.packetsRemaining == 0 }

    public func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        session.transform(&packet, minimumLength: RTPHeader.fixedLength, .protectRTP)
    }

    public func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        session.transform(&packet, minimumLength: 8, .protectRTCP)
    }
}

extension SRTPProtector: CustomStringConvertible {
    public var description: String { "SRTPProtector(key: <redacted>)" }
}
