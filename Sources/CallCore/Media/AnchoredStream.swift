import Media
import SIPCore

/// One m-line of an anchored call: its relay ports, how its codecs map
/// between the legs, and each leg's SRTP keys.
struct AnchoredStream {
    /// The relay ports; nil when the stream is not relayed (rejected, or port 0 from the start).
    var ports: MediaStreamPorts?
    var transcoding: Transcoding?
    var a: StreamSide
    var b: StreamSide
    /// Lost on one leg (no codec or key in an answer): sent as port 0 to the other.
    var rejected = false

    subscript(side: MediaLegSide) -> StreamSide {
        get { side == .a ? a : b }
        set { if side == .a { a = newValue } else { b = newValue } }
    }
}

/// One leg's view of a stream: the profile it speaks and the SDES keys each way (RFC 4568).
struct StreamSide: Equatable {
    /// `RTP/AVP`, `RTP/SAVP`... as written on this leg.
    var proto: String
    /// Keys offered to this leg by Switchboard, by tag (the answer picks one).
    var offered: [UInt32: SRTPKeyMaterial] = [:]
    /// Switchboard's key towards this leg (protect), once agreed.
    var outbound: SRTPKeyMaterial?
    /// This leg's key (unprotect), from its `a=crypto`.
    var inbound: SRTPKeyMaterial?
    /// The tag this leg offered and Switchboard accepted (echoed in our answer).
    var peerTag: UInt32?

    var isSRTP: Bool { outbound != nil || !offered.isEmpty }
}

/// A stream transcoded between the caller's codec and one the target takes.
struct Transcoding {
    /// The caller's codec and payload types, and its `a=rtpmap`/`a=fmtp` lines for them.
    var a: RTPTranscoder.Endpoint
    var aAttributes: [SDPAttribute]
    /// Offered to the target, preferred first.
    var offeredToB: [AudioCodec]
    /// What the target answered; nil until it did.
    var b: RTPTranscoder.Endpoint?

    /// The telephone-event payload type offered to the target (8 kHz).
    static let bTelephoneEvent: UInt8 = 101
}

/// The transforms installed on a stream, to reinstall only when they change.
struct StreamTransforms: Equatable {
    var aInbound: SRTPKeyMaterial?
    var aOutbound: SRTPKeyMaterial?
    var bInbound: SRTPKeyMaterial?
    var bOutbound: SRTPKeyMaterial?
    var aCodec: RTPTranscoder.Endpoint?
    var bCodec: RTPTranscoder.Endpoint?
}
