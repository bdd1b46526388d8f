/// Which codec pairs a call may bridge: the same codec (relayed as is, payload type remapped) or a pair
/// Switchboard transcodes. An offer whose only codecs fail this gets 488 Not Acceptable Here.
public enum TranscodingTable {
    /// Pairs that need transcoding, each direction listed.
    public static let transcodedPairs: Set<CodecPair> = [
        CodecPair(.opus, .pcmu), CodecPair(.pcmu, .opus),
        CodecPair(.opus, .pcma), CodecPair(.pcma, .opus),
        CodecPair(.pcmu, .pcma), CodecPair(.pcma, .pcmu),
    ]

    /// True when media in `from` can be delivered to a peer that takes `to`.
    public static func isSupported(from: AudioCodec, to: AudioCodec) -> Bool {
        from == to || transcodedPairs.contains(CodecPair(from, to))
    }

    /// True when the pair needs decoding and encoding rather than a payload type rewrite.
    public static func needsTranscoding(from: AudioCodec, to: AudioCodec) -> Bool {
        from != to
    }

    /// The first codec in `preferred` order that `offered` media can be delivered as; nil means answer 488.
    public static func firstSupported(offered: AudioCodec, preferred: [AudioCodec]) -> AudioCodec? {
        preferred.first { isSupported(from: offered, to: $0) && isSupported(from: $0, to: offered) }
    }
}

/// An ordered codec pair: media arrives in `from` and leaves in `to`.
public struct CodecPair: Sendable, Hashable {
    public var from: AudioCodec
    public var to: AudioCodec

    public init(_ from: AudioCodec, _ to: AudioCodec) {
        self.from = from
        self.to = to
    }
}
