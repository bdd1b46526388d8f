import Media
import SIPCore

/// SDP crossing the anchor after the first offer: B's answer (183, 200),
/// then offers and answers of re-INVITE, UPDATE and ACK in either
/// direction. The relay ports stay; the sender's addresses and keys are
/// taken, and the receiver gets the relay's address, its own codecs and keys.
extension MediaAnchor {
    /// The SDP A gets for B's answer to the offer of `offerToB`.
    func answerToA(_ answer: [UInt8]) throws(MediaAnchorError) -> [UInt8] {
        if let last = lastAnswer, last.from == answer { return last.to }
        let description = try Self.parse(answer)
        guard description.media.count == streams.count else {
            throw .malformedSDP("answer has \(description.media.count) m-lines for \(streams.count) offered")
        }
        var out = description
        var ports: [Int: SDPRelayPorts] = [:]
        for index in out.media.indices {
            var media = out.media[index]
            guard let pair = streams[index].ports, !streams[index].rejected, media.port != 0, takeAnswer(index, &media) else {
                Self.reject(&out.media[index])
                continue
            }
            setRemote(index, side: .b, media: description.media[index], in: description)
            towards(.a, index, &media, answering: true)
            out.media[index] = media
            ports[index] = SDPRelayPorts(pair.a)
        }
        guard !ports.isEmpty else { throw .noCommonCodec }
        let bytes = try finish(&out, to: .a, ports: ports)
        lastAnswer = (answer, bytes)
        return bytes
    }

    /// B's answer for one stream: the codec it chose for a transcoded stream
    /// and the SRTP key it picked. False when the stream cannot go on.
    private func takeAnswer(_ index: Int, _ media: inout MediaDescription) -> Bool {
        if var transcoding = streams[index].transcoding {
            var chosen: RTPTranscoder.Endpoint?
            for payloadType in media.payloadTypes {
                guard let map = media.codec(for: payloadType), let codec = AudioCodec(rtpMap: map), transcoding.offeredToB.contains(codec)
                else { continue }
                chosen = RTPTranscoder.Endpoint(
                    codec: codec, payloadType: payloadType, takesInBandFEC: Self.takesInBandFEC(payloadType, in: media))
                break
            }
            guard var endpoint = chosen else { return false }
            endpoint.telephoneEventPayloadType = media.payloadTypes.first { pt in
                media.codec(for: pt).map { $0.encodingName.lowercased() == "telephone-event" && $0.clockRate == 8000 } ?? false
            }
            transcoding.b = endpoint
            streams[index].transcoding = transcoding
        }
        var b = streams[index].b
        if !b.offered.isEmpty {
            let picked = media.values(ofAttribute: "crypto").lazy.compactMap(SDESCrypto.init(attributeValue:)).first { b.offered[$0.tag] != nil }
            if let picked, let key = try? SRTPKeyMaterial(crypto: picked), key.suite == b.offered[picked.tag]?.suite {
                b.outbound = b.offered[picked.tag]
                b.inbound = key
                b.peerTag = picked.tag
            } else if policy.srtp == .required {
                // RFC 4568 7.1.1: an answer to an SRTP offer without an acceptable key refuses the stream.
                return false
            } else {
                b.offered = [:]
                b.outbound = nil
                b.inbound = nil
            }
        }
        b.proto = media.proto
        streams[index].b = b
        return true
    }

    /// An SDP in an established call from `side` (re-INVITE, UPDATE, their
    /// answers, ACK), for the other leg. New m-lines are refused (port 0).
    func forward(_ body: [UInt8], from side: MediaLegSide, isOffer: Bool) throws(MediaAnchorError) -> [UInt8] {
        let description = try Self.parse(body)
        if side == .a, !isOffer { awaitsLateAnswer = false }
        let to = side.other
        var out = description
        var ports: [Int: SDPRelayPorts] = [:]
        for index in out.media.indices {
            var media = out.media[index]
            guard index < streams.count, let pair = streams[index].ports, !streams[index].rejected, media.port != 0 else {
                Self.reject(&out.media[index])
                continue
            }
            setRemote(index, side: side, media: description.media[index], in: description)
            var from = streams[index][side]
            if from.outbound != nil, let (tag, key) = Self.usableCrypto(in: media) {
                from.inbound = key
                if isOffer {
                    from.peerTag = tag
                    if from.outbound?.suite != key.suite { from.outbound = SRTPKeyMaterial.generate(suite: key.suite) }
                }
            }
            streams[index][side] = from
            if isOffer, to == .b, streams[index].transcoding == nil {
                let allowed = media.formats.filter { format in
                    Self.encodingName(format, in: media).map(policy.allows) ?? policy.allowedCodecs.isEmpty
                }
                if allowed.contains(where: { Self.encodingName($0, in: media) != "telephone-event" }) { media.keepFormats(allowed) }
            }
            towards(to, index, &media, answering: !isOffer)
            out.media[index] = media
            ports[index] = SDPRelayPorts(pair[to])
        }
        return try finish(&out, to: to, ports: ports)
    }

    /// Gives `media` the profile, formats and keys of leg `to`.
    private func towards(_ to: MediaLegSide, _ index: Int, _ media: inout MediaDescription, answering: Bool) {
        let stream = streams[index]
        if let transcoding = stream.transcoding, let b = transcoding.b {
            Self.setFormats(&media, to == .a ? Self.aFormats(transcoding) : Self.bFormats(b))
        }
        let side = stream[to]
        media.proto = side.proto
        media.removeCryptos()
        if let key = side.outbound { media.addCrypto(key.sdesCrypto(tag: side.peerTag ?? 1)) }
    }

    /// The relay's address and ports for leg `to`, its `o=` line; the bytes to send.
    private func finish(_ description: inout SessionDescription, to: MediaLegSide, ports: [Int: SDPRelayPorts]) throws(MediaAnchorError)
        -> [UInt8]
    {
        do {
            try SDPRelayRewrite(address: relayAddress(to)).apply(to: &description, ports: ports)
        } catch {
            throw .noPorts(error.description)
        }
        installTransforms()
        return to == .a ? aOrigin.stamp(&description) : bOrigin.stamp(&description)
    }

    static func parse(_ body: [UInt8]) throws(MediaAnchorError) -> SessionDescription {
        do {
            return try SessionDescription(parsing: body)
        } catch {
            throw .malformedSDP("\(error)")
        }
    }
}
