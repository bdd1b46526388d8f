import Testing
@testable import SIPCore

@Suite("SDP RFC 8866")
struct SDPRFC8866Tests {
    /// The example session description of RFC 8866 section 5.
    static let example = sdp(
        "v=0",
        "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
        "s=Call to John Smith",
        "i=SDP Offer #1",
        "u=http://www.jdoe.example.com/home.html",
        "e=Jane Doe <jane@jdoe.example.com>",
        "p=+1 617 555-6011",
        "c=IN IP4 198.51.100.1",
        "t=0 0",
        "m=audio 49170 RTP/AVP 0",
        "m=audio 49180 RTP/AVP 0",
        "m=video 51372 RTP/AVP 99",
        "c=IN IP6 2001:db8::2",
        "a=rtpmap:99 h263-1998/90000"
    )

    @Test("RFC 8866 5: example session description round-trips byte-identical")
    func exampleRoundTrips() throws {
        let description = try SessionDescription(parsing: Self.example)
        #expect(description.bytes == Array(Self.example.utf8))
        #expect(description.description == Self.example)
    }

    @Test("RFC 8866 5: example session description fields parse")
    func exampleFields() throws {
        let description = try SessionDescription(parsing: Array(Self.example.utf8))
        #expect(description.version == 0)
        #expect(description.origin.username == "jdoe")
        #expect(description.origin.sessionID == "3724394400")
        #expect(description.origin.sessionVersion == 3_724_394_405)
        #expect(description.origin.netType == "IN")
        #expect(description.origin.addrType == "IP4")
        #expect(description.origin.address == "198.51.100.1")
        #expect(description.sessionName == "Call to John Smith")
        #expect(description.information == "SDP Offer #1")
        #expect(description.uri == "http://www.jdoe.example.com/home.html")
        #expect(description.emails == ["Jane Doe <jane@jdoe.example.com>"])
        #expect(description.phones == ["+1 617 555-6011"])
        #expect(description.connection == SDPConnection(address: "198.51.100.1"))
        #expect(description.timings == [SDPTiming(start: 0, stop: 0)])
        #expect(description.media.count == 3)

        let audio = description.media[0]
        #expect(audio.mediaType == "audio")
        #expect(audio.port == 49170)
        #expect(audio.portCount == nil)
        #expect(audio.proto == "RTP/AVP")
        #expect(audio.formats == ["0"])
        #expect(audio.isRTP)
        #expect(!audio.isSecureRTP)
        #expect(audio.connections.isEmpty)
        #expect(audio.effectiveConnection(in: description)?.address == "198.51.100.1")
        #expect(audio.codec(for: 0) == RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000))
        #expect(audio.direction(in: description) == .sendrecv)

        let video = description.media[2]
        #expect(video.mediaType == "video")
        #expect(video.port == 51372)
        #expect(video.formats == ["99"])
        #expect(video.effectiveConnection(in: description) == SDPConnection(addrType: "IP6", address: "2001:db8::2"))
        #expect(video.rtpMaps == [RTPMap(payloadType: 99, encodingName: "h263-1998", clockRate: 90000)])
        #expect(video.attributes == [SDPAttribute(name: "rtpmap", value: "99 h263-1998/90000")])
    }

    @Test("RFC 8866 5: bare LF line ends are accepted and serialize as CRLF")
    func bareLineFeeds() throws {
        let lf = Self.example.replacing("\r\n", with: "\n")
        let description = try SessionDescription(parsing: lf)
        #expect(description == (try SessionDescription(parsing: Self.example)))
        #expect(description.description == Self.example)
    }

    @Test("RFC 8866 5: input without a final line end parses")
    func noFinalLineEnd() throws {
        let trimmed = String(Self.example.dropLast())  // "\r\n" is one Character
        let description = try SessionDescription(parsing: trimmed)
        #expect(description.media[2].rtpMaps.first?.payloadType == 99)
        #expect(description.description == Self.example)
    }

    @Test("RFC 8866 5.7: multicast connection with TTL and address count")
    func multicastConnection() throws {
        let text = sdp(
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 233.252.0.1/127/3", "t=0 0",
            "m=audio 49170/2 RTP/AVP 0", "c=IN IP6 ff1e:db8::1/3")
        let description = try SessionDescription(parsing: text)
        #expect(description.connection == SDPConnection(address: "233.252.0.1", ttl: 127, count: 3))
        #expect(description.media[0].portCount == 2)
        #expect(description.media[0].connections == [SDPConnection(addrType: "IP6", address: "ff1e:db8::1", count: 3)])
        #expect(description.description == text)
    }

    @Test("RFC 8866 5.8, 5.10, 5.11, 5.12: b=, r=, z= and k= lines are kept")
    func otherSessionLines() throws {
        let text = sdp(
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s= ", "c=IN IP4 192.0.2.1", "b=CT:128",
            "t=3724394400 3724398000", "r=7d 1h 0 25h", "z=3730928400 -1h 3749680800 0", "k=prompt",
            "a=recvonly", "m=audio 4000 RTP/AVP 8", "i=main audio", "b=AS:64", "b=TIAS:64000", "k=clear:secret")
        let description = try SessionDescription(parsing: text)
        #expect(description.sessionName == " ")
        #expect(description.bandwidths == [SDPBandwidth(type: "CT", value: 128)])
        #expect(description.timings == [SDPTiming(start: 3_724_394_400, stop: 3_724_398_000, repeats: ["7d 1h 0 25h"])])
        #expect(description.timeZones == "3730928400 -1h 3749680800 0")
        #expect(description.encryptionKey == "prompt")
        #expect(description.direction == .recvonly)
        let audio = description.media[0]
        #expect(audio.information == "main audio")
        #expect(audio.bandwidths.map(\.type) == ["AS", "TIAS"])
        #expect(audio.bandwidths.map(\.value) == [64, 64000])
        #expect(audio.encryptionKey == "clear:secret")
        #expect(audio.direction(in: description) == .recvonly)
        #expect(description.description == text)
    }

    @Test("RFC 8866 5: out-of-order session lines parse and serialize in canonical order")
    func canonicalOrder() throws {
        let text = sdp(
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "t=0 0", "s=-", "c=IN IP4 192.0.2.1", "m=audio 4000 RTP/AVP 0",
            "a=ptime:20", "c=IN IP4 192.0.2.2")
        let description = try SessionDescription(parsing: text)
        #expect(
            description.description
                == sdp(
                    "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                    "m=audio 4000 RTP/AVP 0", "c=IN IP4 192.0.2.2", "a=ptime:20"))
        #expect(description.media[0].ptime == 20)
    }

    @Test("RFC 8866 5: extra blanks between fields are accepted and kept verbatim")
    func extraBlanksKept() throws {
        let text = sdp(
            "v=0", "o=-  1 1 IN IP4   192.0.2.1", "s=-", "c=IN  IP4 192.0.2.1", "t=0  0",
            "m=audio  4000 RTP/AVP 0  8")
        let description = try SessionDescription(parsing: text)
        #expect(description.origin.address == "192.0.2.1")
        #expect(description.media[0].formats == ["0", "8"])
        #expect(description.description == text)
    }

    @Test("RFC 8866 5.14: non-RTP protocols take token formats")
    func nonRTPFormats() throws {
        let text = sdp(
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
            "m=image 4002 udptl t38", "a=T38FaxVersion:0",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=sctp-port:5000")
        let description = try SessionDescription(parsing: text)
        #expect(description.media[0].formats == ["t38"])
        #expect(!description.media[0].isRTP)
        #expect(description.media[1].formats == ["webrtc-datachannel"])
        #expect(description.media[1].attribute(named: "sctp-port")?.value == "5000")
        #expect(description.description == text)
    }

    @Test("RFC 8866 6: fmtp, ptime, maxptime and rtcp accessors")
    func typedAttributes() throws {
        let text = sdp(
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
            "m=audio 4000 RTP/AVP 111 101", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10; useinbandfec=1",
            "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20", "a=maxptime:40",
            "a=rtcp:4005 IN IP4 192.0.2.9", "a=custom:", "a=flag")
        let audio = try SessionDescription(parsing: text).media[0]
        let opus = try #require(audio.rtpMap(for: 111))
        #expect(opus.encodingName == "opus")
        #expect(opus.clockRate == 48000)
        #expect(opus.channels == 2)
        #expect(audio.rtpMap(for: 101)?.channels == 1)
        let fmtp = try #require(audio.fmtp(for: 111))
        #expect(fmtp.raw == "minptime=10; useinbandfec=1")
        #expect(fmtp.parameters == [.init(name: "minptime", value: "10"), .init(name: "useinbandfec", value: "1")])
        #expect(fmtp["useinbandfec"] == "1")
        #expect(audio.fmtp(for: 101)?.parameters == [.init(name: "0-16")])
        #expect(audio.ptime == 20)
        #expect(audio.maxPtime == 40)
        #expect(audio.rtcp == SDPRTCPAttribute(port: 4005, connection: SDPConnection(address: "192.0.2.9")))
        #expect(audio.attribute(named: "custom") == SDPAttribute(name: "custom", value: ""))
        #expect(audio.attribute(named: "flag") == SDPAttribute(name: "flag"))
    }

    @Test("RFC 3261 7.4: an SDP body sliced out of a SIP message parses in place")
    func bodySliceOfMessage() throws {
        let message = Array(("INVITE sip:bob@example.com SIP/2.0\r\nContent-Type: application/sdp\r\n\r\n" + Self.example).utf8)
        let bodyStart = message.count - Self.example.utf8.count
        let fromSlice = try SessionDescription(parsing: message[bodyStart...])
        #expect(fromSlice.bytes == Array(Self.example.utf8))
        let fromView = try SessionDescription(parsing: Self.example.utf8)
        #expect(fromView == fromSlice)
    }
}
