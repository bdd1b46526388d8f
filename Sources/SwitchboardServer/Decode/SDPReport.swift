import SIPCore

/// The JSON form of an SDP body: session, connection and each media stream
/// with its codecs, crypto suites and direction.
enum SDPReport {
    static func document(_ body: ArraySlice<UInt8>) -> JSONDocument {
        let sdp: SessionDescription
        do {
            sdp = try SessionDescription(parsing: body)
        } catch {
            var e = JSONObjectBuilder()
            e.add("status", error.sipStatus)
            e.add("reason", error.reason)
            e.add("line", error.line)
            return .object([("error", e.document)])
        }
        var o = JSONObjectBuilder()
        o.add("origin", "\(sdp.origin.username) \(sdp.origin.sessionID) \(sdp.origin.sessionVersion) \(sdp.origin.netType) \(sdp.origin.addrType) \(sdp.origin.address)")
        o.add("sessionName", sdp.sessionName)
        o.add("connection", sdp.connection.map { .string("\($0.netType) \($0.addrType) \($0.address)") })
        o.add("media", .array(sdp.media.map { m in
            var d = JSONObjectBuilder()
            d.add("type", m.mediaType)
            d.add("port", Int(m.port))
            d.add("proto", m.proto)
            d.add("connection", m.effectiveConnection(in: sdp).map { .string("\($0.netType) \($0.addrType) \($0.address)") })
            d.add("direction", m.direction(in: sdp).rawValue)
            d.add("codecs", .array(m.formats.map { f in
                guard let pt = UInt8(f), let map = m.rtpMap(for: pt) ?? RTPMap.staticPayloadType(pt) else { return .string(f) }
                var c = "\(pt) \(map.encodingName)/\(map.clockRate)"
                if let p = map.encodingParameters { c += "/\(p)" }
                if let fmtp = m.fmtp(for: pt) { c += " \(fmtp.raw)" }
                return .string(c)
            }))
            let cryptos = m.cryptos
            if !cryptos.isEmpty { d.add("crypto", .array(cryptos.map { .string("\($0.tag) \($0.suite)") })) }
            d.add("ptime", m.ptime)
            if m.isRTCPMuxed { d.add("rtcpMux", .bool(true)) }
            return d.document
        }))
        return o.document
    }
}
