import Testing
@testable import PacketCapture

/// RFC 9293 3.4 and 3.10.7.4: sequence numbers place segment data in the stream.
@Suite("TCP stream reassembly")
struct TCPReassemblerTests {
    static let client = Endpoint(ip: IPAddress(v4: 192, 0, 2, 10), port: 40000)
    static let server = Endpoint(ip: IPAddress(v4: 198, 51, 100, 20), port: 5060)
    static let flow = TCPFlow(source: client, destination: server)

    static func segment(
        _ seq: UInt32, _ text: String = "", flags: TCPFlags = [.ack], from source: Endpoint = client, to destination: Endpoint = server,
        at second: Int64 = 0
    ) -> Segment {
        Segment(
            source: source, destination: destination, sequenceNumber: seq, flags: flags,
            payload: Array(text.utf8), timestamp: CaptureTimestamp(seconds: second, nanoseconds: 0))
    }

    /// Feeds the segments, then finishes; returns each flow's stream text and the gaps seen.
    static func run(_ segments: [Segment], maximumBufferedBytes: Int = 1 << 20) -> (streams: [TCPFlow: String], gaps: [Int], chunks: Int) {
        var reassembler = TCPReassembler(maximumBufferedBytes: maximumBufferedBytes)
        var output: [TransportPayload] = []
        for segment in segments {
            output += reassembler.append(segment)
        }
        output += reassembler.finish()
        var streams: [TCPFlow: String] = [:]
        var gaps: [Int] = []
        var chunks = 0
        for payload in output {
            switch payload {
            case .tcpStream(let flow, let bytes, _):
                streams[flow, default: ""] += String(decoding: bytes, as: UTF8.self)
                chunks += 1
            case .tcpGap(_, let missing, _):
                gaps.append(missing)
            case .udp:
                Issue.record("UDP from the TCP reassembler")
            }
        }
        return (streams, gaps, chunks)
    }

    @Test("in-order segments after a SYN form the stream; the SYN takes one sequence number")
    func inOrder() {
        let result = Self.run([
            Self.segment(1000, flags: [.syn]),
            Self.segment(1001, "INVITE "),
            Self.segment(1008, "sip:bob SIP/2.0\r\n"),
            Self.segment(1025, flags: [.ack, .fin]),
        ])
        #expect(result.streams[Self.flow] == "INVITE sip:bob SIP/2.0\r\n")
        #expect(result.gaps.isEmpty)
    }

    @Test("out-of-order segments wait for the hole and are delivered in stream order")
    func outOfOrder() {
        var reassembler = TCPReassembler()
        #expect(reassembler.append(Self.segment(100, flags: [.syn])).isEmpty)
        #expect(reassembler.append(Self.segment(108, "world", at: 1)).isEmpty)
        #expect(reassembler.append(Self.segment(105, "o, ", at: 2)).isEmpty)
        let delivered = reassembler.append(Self.segment(101, "hell", at: 3))
        #expect(delivered == [.tcpStream(flow: Self.flow, bytes: Array("hello, world".utf8), time: CaptureTimestamp(seconds: 3, nanoseconds: 0))])
        #expect(reassembler.append(Self.segment(105, "o,", at: 4)).isEmpty)  // retransmission
        #expect(reassembler.finish().isEmpty)
    }

    @Test("retransmissions and partly overlapping segments add each byte once")
    func retransmissionAndOverlap() {
        let result = Self.run([
            Self.segment(0, flags: [.syn]),
            Self.segment(1, "ABCDEF"),
            Self.segment(1, "ABCDEF"),
            Self.segment(4, "DEFGHI"),
            Self.segment(8, "HIJ"),
            Self.segment(21, "UVW"),
            Self.segment(11, "KLMNOPQRST"),
            Self.segment(11, "KLMNOPQRST"),
        ])
        #expect(result.streams[Self.flow] == "ABCDEFGHIJKLMNOPQRSTUVW")
        #expect(result.gaps.isEmpty)
    }

    @Test("sequence numbers wrap around 2^32")
    func wraparound() {
        let result = Self.run([
            Self.segment(0xFFFF_FFFD, flags: [.syn]),
            Self.segment(0x0000_0000, "CD"),
            Self.segment(0xFFFF_FFFE, "AB"),
            Self.segment(0xFFFF_FFFF, "BC"),
            Self.segment(0x0000_0001, "DE"),  // overlaps the delivered "D"
        ])
        #expect(result.streams[Self.flow] == "ABCDE")
    }

    @Test("both directions of a connection are separate streams")
    func directions() {
        let result = Self.run([
            Self.segment(10, flags: [.syn]),
            Self.segment(500, flags: [.syn, .ack], from: Self.server, to: Self.client),
            Self.segment(11, "REGISTER"),
            Self.segment(501, "SIP/2.0 200 OK", from: Self.server, to: Self.client),
        ])
        #expect(result.streams[Self.flow] == "REGISTER")
        #expect(result.streams[Self.flow.reversed] == "SIP/2.0 200 OK")
    }

    @Test("a capture that starts mid-connection starts the stream at the first data")
    func midStream() {
        let result = Self.run([
            Self.segment(5000),  // bare ACK: no data, no position
            Self.segment(7000, "BYE "),
            Self.segment(7004, "sip:bob"),
        ])
        #expect(result.streams[Self.flow] == "BYE sip:bob")
    }

    @Test("a lost segment becomes a gap once too much waits behind it, and at the end of the capture")
    func gaps() {
        let bounded = Self.run([
            Self.segment(0, flags: [.syn]),
            Self.segment(1, "AAAA"),
            Self.segment(9, "CCCC"),
            Self.segment(13, "DDDD"),
            Self.segment(17, "EEEE"),
        ], maximumBufferedBytes: 8)
        #expect(bounded.streams[Self.flow] == "AAAACCCCDDDDEEEE")
        #expect(bounded.gaps == [4])
        let atEnd = Self.run([Self.segment(0, flags: [.syn]), Self.segment(1, "AAAA"), Self.segment(9, "CCCC")])
        #expect(atEnd.streams[Self.flow] == "AAAACCCC")
        #expect(atEnd.gaps == [4])
    }

    @Test("after FIN, a new SYN on the same addresses starts a new stream; data after FIN is ignored")
    func portReuse() {
        let result = Self.run([
            Self.segment(100, flags: [.syn]),
            Self.segment(101, "first", flags: [.ack, .fin]),
            Self.segment(101, "first"),  // retransmission after the FIN
            Self.segment(9000, flags: [.syn]),
            Self.segment(9001, "second"),
        ])
        #expect(result.streams[Self.flow] == "firstsecond")
    }

    @Test("RST ends the stream; later segments are not delivered")
    func reset() {
        let result = Self.run([
            Self.segment(100, flags: [.syn]),
            Self.segment(101, "data"),
            Self.segment(105, flags: [.rst]),
            Self.segment(105, "late"),
        ])
        #expect(result.streams[Self.flow] == "data")
    }
}
