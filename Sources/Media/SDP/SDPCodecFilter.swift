import SIPCore

/// Narrows every RTP m-line to the codecs a trunk or policy allows.
///
/// telephone-event (RFC 4733) is always kept. A stream left with no codec
/// is rejected the RFC 3264 6 way (port 0, one format kept); when no stream
/// keeps a codec, the offer cannot be used and the caller answers 488.
public struct SDPCodecFilter: Sendable, Hashable {
    /// Encoding names as in `a=rtpmap` (`PCMU`, `opus`), compared case-insensitively.
    public var allowed: Set<String>

    public init(allowed: some Sequence<String>) {
        self.allowed = Set(allowed.map { $0.lowercased() })
    }

    /// Filters `description` in place; m-lines keep their number and order.
    /// Returns the indexes of the streams it rejected.
    @discardableResult
    public func apply(to description: inout SessionDescription) throws(SDPRewriteError) -> [Int] {
        var rejected: [Int] = []
        var usable = 0
        var audited = 0
        for index in description.media.indices {
            var media = description.media[index]
            guard media.isRTP, media.port != 0 else { continue }
            audited += 1
            let original = media.formats
            let before = media
            media.removeFormats { format in
                guard let name = Self.encodingName(of: format, in: before) else { return true }
                return name != "telephone-event" && !allowed.contains(name)
            }
            let hasCodec = media.formats.contains { Self.encodingName(of: $0, in: media) != "telephone-event" }
            if hasCodec {
                usable += 1
            } else {
                media = description.media[index]
                media.keepFormats(original.prefix(1))
                media.port = 0
                rejected.append(index)
            }
            description.media[index] = media
        }
        if audited > 0, usable == 0 { throw .noCommonCodec }
        return rejected
    }

    static func encodingName(of format: String, in media: MediaDescription) -> String? {
        guard let payloadType = UInt8(format) else { return nil }
        return media.codec(for: payloadType)?.encodingName.lowercased()
    }
}
