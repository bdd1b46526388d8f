import Media

/// What a bridged call's media may look like towards one target (a carrier
/// profile's media section): whether Switchboard anchors it, which codecs
/// the peer takes, and whether it must be SRTP.
public struct MediaPolicy: Sendable, Equatable {
    /// When the B2BUA puts its relay in the media path.
    public enum Relay: Sendable, Equatable {
        /// Every call: topology hiding for media too.
        case always
        /// Never: SDP passes with only the codec filter applied (no transcoding, no SRTP termination).
        case never
        /// Only when the caller looks NATed (its SDP address is private or is not where its
        /// INVITE came from), or when transcoding or SRTP termination needs the relay anyway.
        case whenNAT
    }

    /// SRTP (SDES, RFC 4568) on the target's leg.
    public enum SRTP: Sendable, Equatable {
        /// `RTP/SAVP` with our `a=crypto` offered; an answer without a usable key loses the stream.
        case required
        /// `RTP/AVP` with our `a=crypto` offered (best effort): SRTP if the answer keys it, RTP otherwise.
        case optional
        /// Plain RTP.
        case off
    }

    public var relay: Relay
    /// Encoding names the target takes (`PCMU`, `PCMA`, `opus`), case-insensitive; empty takes anything.
    /// telephone-event (RFC 4733) always passes.
    public var allowedCodecs: [String]
    public var srtp: SRTP
    /// The SDES suites offered on the target's leg, preferred first.
    public var sdesSuites: [SRTPCryptoSuite]

    public init(
        relay: Relay = .always, allowedCodecs: [String] = [], srtp: SRTP = .off,
        sdesSuites: [SRTPCryptoSuite] = [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32]
    ) {
        self.relay = relay
        self.allowedCodecs = allowedCodecs
        self.srtp = srtp
        self.sdesSuites = sdesSuites
    }

    /// Whether the target takes the codec named `name` (telephone-event always).
    func allows(_ name: String) -> Bool {
        let lower = name.lowercased()
        return allowedCodecs.isEmpty || lower == "telephone-event" || allowedCodecs.contains { $0.lowercased() == lower }
    }
}
