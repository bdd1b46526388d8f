import Media
import SIPCore

/// A late offer (RFC 3261 13.2.1, RFC 3264 5): the caller's INVITE had no
/// SDP, the target offers in its 2xx (or reliable provisional) and the
/// caller answers in its ACK (or PRACK). Each stream is relayed as offered:
/// codecs pass unchanged, and a plain RTP offer is the only one anchored
/// (with no key of the caller's to build on, SRTP cannot be terminated).
extension MediaAnchor {
    /// Whether `offer` can be relayed as a late offer: some plain RTP stream and no SDES or DTLS keys.
    static func canRelayLateOffer(_ offer: SessionDescription) -> Bool {
        let live = offer.media.filter { $0.port != 0 }
        return live.contains { $0.isRTP } && !live.contains { $0.usesDTLS || $0.isSecureRTP || $0.hasAttribute(named: "crypto") }
    }

    /// The SDP A gets for B's late `offer` (parsed from `body`). The first call opens the streams;
    /// the same offer again (a 183, then the 200) gets the same SDP.
    func offerFromB(_ offer: SessionDescription, body: [UInt8]) throws(MediaAnchorError) -> [UInt8] {
        if let last = lastLateOffer, last.from == body { return last.to }
        if streams.isEmpty {
            for media in offer.media {
                let rejected = media.port == 0 || !media.isRTP
                streams.append(AnchoredStream(ports: nil, transcoding: nil, a: StreamSide(proto: media.proto), b: StreamSide(proto: media.proto), rejected: rejected))
            }
        }
        guard streams.count == offer.media.count else { throw .malformedSDP("m-line count changed") }
        var out = offer
        var ports: [Int: SDPRelayPorts] = [:]
        for index in out.media.indices {
            guard !streams[index].rejected, offer.media[index].port != 0 else {
                Self.reject(&out.media[index])
                continue
            }
            if streams[index].ports == nil { try openStream(index) }
            guard let pair = streams[index].ports else { continue }
            setRemote(index, side: .b, media: offer.media[index], in: offer)
            ports[index] = SDPRelayPorts(pair.a)
        }
        guard !ports.isEmpty else { throw .noCommonCodec }
        do {
            try SDPRelayRewrite(address: aRelay).apply(to: &out, ports: ports)
        } catch {
            throw .noPorts(error.description)
        }
        let bytes = aOrigin.stamp(&out)
        lastLateOffer = (body, bytes)
        return bytes
    }
}
