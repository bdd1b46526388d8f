import Testing
import PacketCapture

/// Real captures of SIPp, Kamailio and baresip (pcap-fixtures/README.md).
@Suite("Fixtures captured from real SIP software")
struct FixtureTests {
    static let requestPrefixes = ["REGISTER ", "INVITE ", "ACK ", "BYE ", "CANCEL ", "OPTIONS ", "SIP/2.0 "]

    @Test("RFC 3261 22.2: REGISTER, 401 with WWW-Authenticate, REGISTER with Authorization, 200")
    func registerDigest() throws {
        let payloads = try Fixture.udpPayloads("register-digest.pcap")
        #expect(payloads.count == 4)
        #expect(Fixture.startLineCounts(payloads, Self.requestPrefixes) == ["REGISTER ": 2, "SIP/2.0 ": 2])
        let texts = payloads.map { String(decoding: $0, as: UTF8.self) }
        #expect(texts[1].hasPrefix("SIP/2.0 401 "))
        #expect(texts[1].contains("WWW-Authenticate: Digest"))
        #expect(texts[2].contains("Authorization: Digest"))
        #expect(texts[3].hasPrefix("SIP/2.0 200 "))
    }

    @Test("RFC 3261 16.6: INVITE through a record-routing proxy, every hop captured")
    func inviteRecordRoute() throws {
        let capture = try Fixture.capture("invite-record-route.pcap")
        #expect(capture.format == .pcap(bigEndian: false, nanosecond: false))
        #expect(capture.packets.allSatisfy { $0.linkType == .ethernet })
        let payloads = try Fixture.udpPayloads("invite-record-route.pcap")
        #expect(payloads.count == 14)
        #expect(
            Fixture.startLineCounts(payloads, Self.requestPrefixes)
                == ["INVITE ": 2, "ACK ": 2, "BYE ": 2, "SIP/2.0 ": 8])
        let invites = payloads.map { String(decoding: $0, as: UTF8.self) }.filter { $0.hasPrefix("INVITE ") }
        #expect(invites.contains { $0.contains("Record-Route: <sip:127.0.0.21:25060;lr") })
        #expect(invites.allSatisfy { $0.contains("m=audio ") })
    }

    @Test("RFC 3261 9.1: CANCEL, 200 for the CANCEL, 487 and ACK; nanosecond pcap")
    func cancel() throws {
        let capture = try Fixture.capture("cancel.pcap")
        #expect(capture.format == .pcap(bigEndian: false, nanosecond: true))
        // Nanosecond timestamps keep digits a microsecond file cannot hold.
        #expect(capture.packets.contains { $0.timestamp.nanoseconds % 1000 != 0 })
        let payloads = try Fixture.udpPayloads("cancel.pcap")
        #expect(payloads.count == 14)
        #expect(
            Fixture.startLineCounts(payloads, Self.requestPrefixes)
                == ["INVITE ": 2, "CANCEL ": 2, "ACK ": 2, "SIP/2.0 ": 8])
        #expect(payloads.filter { $0.starts(with: "SIP/2.0 487 ".utf8) }.count == 2)
    }

    @Test("RFC 3264 8.4: re-INVITE putting the call on hold with a=sendonly")
    func reinviteHold() throws {
        let payloads = try Fixture.udpPayloads("reinvite-hold.pcap")
        #expect(payloads.count == 21)
        #expect(
            Fixture.startLineCounts(payloads, Self.requestPrefixes)
                == ["INVITE ": 4, "ACK ": 4, "BYE ": 2, "SIP/2.0 ": 11])
        let texts = payloads.map { String(decoding: $0, as: UTF8.self) }
        #expect(texts.filter { $0.hasPrefix("INVITE ") && $0.contains("a=sendonly") }.count == 2)
    }

    @Test("pcapng and classic pcap of one OPTIONS keepalive capture hold the same packets")
    func optionsKeepalivePcapngMatchesPcap() throws {
        let pcapng = try Fixture.capture("options-keepalive.pcapng")
        let pcap = try Fixture.capture("options-keepalive.pcap")
        #expect(pcapng.format == .pcapng)
        #expect(pcap.format == .pcap(bigEndian: false, nanosecond: true))
        #expect(pcapng.packets.count == 6)
        #expect(pcapng.packets == pcap.packets)
        let payloads = try Fixture.udpPayloads("options-keepalive.pcapng")
        #expect(Fixture.startLineCounts(payloads, Self.requestPrefixes) == ["OPTIONS ": 3, "SIP/2.0 ": 3])
        #expect(pcapng.transportPayloads() == pcap.transportPayloads())
    }

    @Test("RFC 4568 9.1: baresip's INVITE offers RTP/SAVP with an SDES a=crypto line")
    func srtpSdesOffer() throws {
        let payloads = try Fixture.udpPayloads("srtp-sdes-offer.pcap")
        #expect(payloads.count == 6)
        let invite = try #require(payloads.first { $0.starts(with: "INVITE ".utf8) })
        let text = String(decoding: invite, as: UTF8.self)
        #expect(text.contains("RTP/SAVP"))
        #expect(text.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"))
    }

    @Test("RFC 3261 18.3: SIP over TCP reassembles into whole messages framed by Content-Length")
    func tcpSegmented() throws {
        let capture = try Fixture.capture("tcp-segmented.pcap")
        let payloads = capture.transportPayloads()
        var streams: [TCPFlow: [UInt8]] = [:]
        var chunkCounts: [TCPFlow: Int] = [:]
        for payload in payloads {
            switch payload {
            case .tcpStream(let flow, let bytes, _):
                streams[flow, default: []] += bytes
                chunkCounts[flow, default: 0] += 1
            case .udp, .tcpGap:
                Issue.record("unexpected \(payload)")
            }
        }
        let caller = TCPFlow(
            source: Endpoint(ip: IPAddress(v4: 127, 0, 0, 27), port: 25072),
            destination: Endpoint(ip: IPAddress(v4: 127, 0, 0, 26), port: 25070))
        let client = SIPStreamFramer(try #require(streams[caller]))
        let uri = "sip:bob@127.0.0.26:25070;transport=tcp"
        #expect(client.startLines == ["INVITE \(uri) SIP/2.0", "ACK \(uri) SIP/2.0", "BYE \(uri) SIP/2.0"])
        #expect(client.leftover.isEmpty)
        #expect(client.messages[0].contains("a=x-fixture-padding:023"))
        // The INVITE arrived in three segments, ACK and BYE in one.
        #expect(chunkCounts[caller] == 4)
        let server = SIPStreamFramer(try #require(streams[caller.reversed]))
        #expect(server.startLines == ["SIP/2.0 100 Trying", "SIP/2.0 180 Ringing", "SIP/2.0 200 OK", "SIP/2.0 200 OK"])
        #expect(server.leftover.isEmpty)

        // Independent check: each stream spans exactly SYN+1 ..< FIN in sequence space.
        let segments = capture.decodedPackets().compactMap { if case .tcp(let s) = $0 { s } else { nil } }
        for flow in [caller, caller.reversed] {
            let syn = try #require(segments.first { $0.flow == flow && $0.flags.contains(.syn) })
            let fin = try #require(segments.first { $0.flow == flow && $0.flags.contains(.fin) })
            #expect(Int(fin.sequenceNumber &- syn.sequenceNumber &- 1) == streams[flow]?.count)
        }
    }

    @Test("every UDP payload in the fixtures starts with a SIP start line")
    func everyDatagramIsSIP() throws {
        for name in [
            "register-digest.pcap", "invite-record-route.pcap", "cancel.pcap", "reinvite-hold.pcap",
            "options-keepalive.pcap", "srtp-sdes-offer.pcap",
        ] {
            var skipped = 0
            let payloads = try Fixture.capture(name).transportPayloads { _, _ in skipped += 1 }
            #expect(skipped == 0, "\(name)")
            for payload in payloads {
                guard case .udp(let source, _, let bytes, _) = payload else {
                    Issue.record("\(name): \(payload)")
                    continue
                }
                #expect(source.address.hasPrefix("127.0.0."))
                #expect(Self.requestPrefixes.contains { bytes.starts(with: $0.utf8) }, "\(name)")
            }
        }
    }
}
