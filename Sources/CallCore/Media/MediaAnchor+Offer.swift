import Media
import SIPCore

/// The offer of leg B, made from the caller's offer for the current target
/// (RFC 3264 5): m-lines keep their number and order, each relayed line
/// gets the relay's address and port, codecs are narrowed to what the
/// target takes or replaced by ones Switchboard transcodes to, and SRTP is
/// offered when the target wants it.
extension MediaAnchor {
    /// Leg B's SDP for A's `offer`; the first call opens the streams, later
    /// ones (failover) keep them and negotiate the B side again.
    func offerToB(_ offer: SessionDescription) throws(MediaAnchorError) -> [UInt8] {
        if streams.isEmpty {
            for media in offer.media { streams.append(try Self.stream(offeredByA: media)) }
        }
        guard streams.count == offer.media.count else { throw .malformedSDP("m-line count changed") }
        var out = offer
        var usable: [Int] = []
        for index in offer.media.indices where !streams[index].rejected {
            guard var media = planB(index, offer.media[index]) else { continue }
            media.proto = streams[index].b.proto
            media.removeCryptos()
            for tag in streams[index].b.offered.keys.sorted() {
                if let key = streams[index].b.offered[tag] { media.addCrypto(key.sdesCrypto(tag: tag)) }
            }
            out.media[index] = media
            usable.append(index)
        }
        guard !usable.isEmpty else {
            let srtp = offer.media.contains { $0.port != 0 && ($0.usesDTLS || $0.isSecureRTP) }
            throw srtp ? .unsupportedSRTP("no stream Switchboard can key") : .noCommonCodec
        }
        var ports: [Int: SDPRelayPorts] = [:]
        for index in out.media.indices {
            guard usable.contains(index) else {
                Self.reject(&out.media[index])
                continue
            }
            if streams[index].ports == nil { try openStream(index) }
            if let pair = streams[index].ports { ports[index] = SDPRelayPorts(pair.b) }
            setRemote(index, side: .a, media: offer.media[index], in: offer)
        }
        do {
            try SDPRelayRewrite(address: bRelay).apply(to: &out, ports: ports)
        } catch {
            throw .noPorts(error.description)
        }
        return bOrigin.stamp(&out)
    }

    /// A stream as A offered it: its profile and, when A offered SDES, A's key and ours for A.
    static func stream(offeredByA media: MediaDescription) throws(MediaAnchorError) -> AnchoredStream {
        var a = StreamSide(proto: media.proto)
        var rejected = media.port == 0 || !media.isRTP || media.usesDTLS
        if !rejected, let (tag, key) = usableCrypto(in: media) {
            a.inbound = key
            a.peerTag = tag
            a.outbound = SRTPKeyMaterial.generate(suite: key.suite)
        } else if media.isSecureRTP {
            // RFC 4568 7.1.2: a secure stream without a key we can use is refused.
            rejected = true
        }
        return AnchoredStream(ports: nil, transcoding: nil, a: a, b: StreamSide(proto: media.proto), rejected: rejected)
    }

    /// The first `a=crypto` of `media` whose suite and key Switchboard can use.
    static func usableCrypto(in media: MediaDescription) -> (UInt32, SRTPKeyMaterial)? {
        for value in media.values(ofAttribute: "crypto") {
            guard let crypto = SDESCrypto(attributeValue: value), let key = try? SRTPKeyMaterial(crypto: crypto) else { continue }
            return (crypto.tag, key)
        }
        return nil
    }

    /// Plans m-line `index` for the current target: the codecs it takes (or a
    /// transcoding), the SRTP keys offered to it. nil when it cannot take the stream.
    func planB(_ index: Int, _ aMedia: MediaDescription) -> MediaDescription? {
        var media = aMedia
        streams[index].transcoding = nil
        streams[index].b = StreamSide(proto: policy.srtp == .required ? "RTP/SAVP" : "RTP/AVP")
        if policy.srtp != .off {
            for (offset, suite) in policy.sdesSuites.enumerated() {
                streams[index].b.offered[UInt32(offset + 1)] = SRTPKeyMaterial.generate(suite: suite)
            }
        }
        let allowed = aMedia.formats.filter { format in
            Self.encodingName(format, in: aMedia).map(policy.allows) ?? policy.allowedCodecs.isEmpty
        }
        if allowed.contains(where: { Self.encodingName($0, in: aMedia) != "telephone-event" }) {
            media.keepFormats(allowed)
            return media
        }
        guard let transcoding = transcoding(for: aMedia) else { return nil }
        streams[index].transcoding = transcoding
        Self.setFormats(&media, Self.bFormats(transcoding))
        return media
    }

    /// A transcoding from the first of A's codecs that one of the target's codecs pairs with.
    func transcoding(for aMedia: MediaDescription) -> Transcoding? {
        let targets = policy.allowedCodecs.compactMap { name in AudioCodec.allCases.first { $0.rawValue.lowercased() == name.lowercased() } }
        for payloadType in aMedia.payloadTypes {
            guard let map = aMedia.codec(for: payloadType), let codec = AudioCodec(rtpMap: map) else { continue }
            let pairs = targets.filter { $0 != codec && TranscodingTable.isSupported(from: codec, to: $0) && TranscodingTable.isSupported(from: $0, to: codec) }
            guard !pairs.isEmpty else { continue }
            let event = aMedia.payloadTypes.first { pt in
                aMedia.codec(for: pt).map { $0.encodingName.lowercased() == "telephone-event" && $0.clockRate == map.clockRate } ?? false
            }
            let kept = Set([payloadType] + (event.map { [$0] } ?? []))
            let attributes = aMedia.attributes.filter { attribute in
                guard attribute.name == "rtpmap" || attribute.name == "fmtp", let value = attribute.value else { return false }
                return UInt8(value.prefix { $0 != " " }).map(kept.contains) ?? false
            }
            return Transcoding(
                a: RTPTranscoder.Endpoint(
                    codec: codec, payloadType: payloadType, telephoneEventPayloadType: event,
                    takesInBandFEC: Self.takesInBandFEC(payloadType, in: aMedia)),
                aAttributes: attributes, offeredToB: pairs, b: nil)
        }
        return nil
    }

    /// RFC 7587 6.1: whether the side that sent `media` decodes Opus in-band FEC for `payloadType`.
    static func takesInBandFEC(_ payloadType: UInt8, in media: MediaDescription) -> Bool {
        media.fmtp(for: payloadType)?["useinbandfec"] == "1"
    }

    /// The formats offered to B for a transcoded stream: its codecs (static payload
    /// types where RFC 3551 has them) and telephone-event at 8 kHz. Opus is offered
    /// with `useinbandfec=1`: the relay's decoder rebuilds a lost packet from the next one's FEC.
    static func bFormats(_ transcoding: Transcoding) -> (formats: [String], attributes: [SDPAttribute]) {
        var formats: [String] = []
        var attributes: [SDPAttribute] = []
        var dynamic: UInt8 = 96
        for codec in transcoding.offeredToB {
            let payloadType = codec.staticPayloadType ?? dynamic
            if codec.staticPayloadType == nil { dynamic += 1 }
            formats.append(String(payloadType))
            let channels: String? = codec == .opus ? "2" : nil
            attributes.append(RTPMap(payloadType: payloadType, encodingName: codec.encodingName, clockRate: codec.rtpClockRate, encodingParameters: channels).attribute)
            if codec == .opus { attributes.append(SDPAttribute(name: "fmtp", value: "\(payloadType) useinbandfec=1")) }
        }
        let event = Transcoding.bTelephoneEvent
        formats.append(String(event))
        attributes.append(RTPMap(payloadType: event, encodingName: "telephone-event", clockRate: 8000).attribute)
        attributes.append(SDPAttribute(name: "fmtp", value: "\(event) 0-16"))
        return (formats, attributes)
    }

    /// The formats B answered for a transcoded stream, as B's side of the transcoder.
    static func bFormats(_ endpoint: RTPTranscoder.Endpoint) -> (formats: [String], attributes: [SDPAttribute]) {
        var formats = [String(endpoint.payloadType)]
        var attributes = [
            RTPMap(payloadType: endpoint.payloadType, encodingName: endpoint.codec.encodingName, clockRate: endpoint.codec.rtpClockRate).attribute
        ]
        if let event = endpoint.telephoneEventPayloadType {
            formats.append(String(event))
            attributes.append(RTPMap(payloadType: event, encodingName: "telephone-event", clockRate: 8000).attribute)
            attributes.append(SDPAttribute(name: "fmtp", value: "\(event) 0-16"))
        }
        return (formats, attributes)
    }

    /// The caller's own formats for a transcoded stream.
    static func aFormats(_ transcoding: Transcoding) -> (formats: [String], attributes: [SDPAttribute]) {
        var formats = [String(transcoding.a.payloadType)]
        if let event = transcoding.a.telephoneEventPayloadType { formats.append(String(event)) }
        return (formats, transcoding.aAttributes)
    }

    /// Replaces an m-line's formats and their `rtpmap`/`fmtp`/`rtcp-fb` lines.
    static func setFormats(_ media: inout MediaDescription, _ replacement: (formats: [String], attributes: [SDPAttribute])) {
        media.removeFormats { _ in true }
        media.formats = replacement.formats
        media.attributes.append(contentsOf: replacement.attributes)
    }

    /// RFC 3264 6: a stream refused is sent with port 0 and one of its formats.
    static func reject(_ media: inout MediaDescription) {
        guard media.port != 0 else { return }
        media.port = 0
        media.keepFormats(media.formats.prefix(1))
        media.removeCryptos()
    }

    static func encodingName(_ format: String, in media: MediaDescription) -> String? {
        UInt8(format).flatMap { media.codec(for: $0)?.encodingName.lowercased() }
    }
}
