import SIPCore

/// The audio codecs Switchboard relays and transcodes between.
public enum AudioCodec: String, Sendable, Hashable, CaseIterable {
    /// G.711 μ-law (RFC 3551 4.5.14).
    case pcmu = "PCMU"
    /// G.711 A-law (RFC 3551 4.5.14).
    case pcma = "PCMA"
    /// Opus (RFC 7587): always a 48 kHz RTP clock, whatever the audio bandwidth.
    case opus = "opus"

    /// The rtpmap encoding name.
    public var encodingName: String { rawValue }

    /// RTP timestamp rate (RFC 3551 table 4, RFC 7587 4.1).
    public var rtpClockRate: UInt32 {
        switch self {
        case .pcmu, .pcma: 8000
        case .opus: 48000
        }
    }

    /// The static payload type, where RFC 3551 assigns one.
    public var staticPayloadType: UInt8? {
        switch self {
        case .pcmu: 0
        case .pcma: 8
        case .opus: nil
        }
    }

    /// The codec an `a=rtpmap` names, matching name case-insensitively and clock rate; nil for others.
    public init?(rtpMap: RTPMap) {
        let name = rtpMap.encodingName.lowercased()
        guard let codec = Self.allCases.first(where: { $0.rawValue.lowercased() == name }),
            codec.rtpClockRate == rtpMap.clockRate
        else { return nil }
        self = codec
    }

    /// The G.711 law, for PCMU and PCMA.
    var g711Law: G711.Law? {
        switch self {
        case .pcmu: .muLaw
        case .pcma: .aLaw
        case .opus: nil
        }
    }
}
