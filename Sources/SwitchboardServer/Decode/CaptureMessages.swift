import PacketCapture
import SIPCore

/// The SIP messages in a pcap or pcapng file: every UDP datagram that looks
/// like SIP, and every message framed out of each TCP stream.
public enum CaptureMessages {
    public struct Message: Sendable {
        public var origin: MessageReport.Origin
        public var bytes: [UInt8]
        public var framing: SIPFraming
        /// A stream that could not be framed: the reason; `bytes` holds what was left.
        public var framingError: SIPParseError?
    }

    /// Whether `bytes` start with a pcap or pcapng magic number.
    public static func isCapture(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        let magic = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        return [0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1, 0x0A0D_0D0A].contains(magic)
    }

    /// Whether a payload starts like a SIP message: a Status-Line, or a first line ending in SIP/2.0.
    static func looksLikeSIP(_ payload: [UInt8]) -> Bool {
        let firstLine = payload.prefix(1024).prefix { $0 != 0x0A }
        let text = String(decoding: firstLine, as: UTF8.self).trimmingSuffixCR()
        return text.hasPrefix("SIP/") || text.uppercased().hasSuffix(" SIP/2.0") || text.contains(" SIP/")
    }

    /// Extracts the messages in capture order. `skipped` hears about packets that could not be decoded.
    public static func extract(from bytes: [UInt8], skipped: (Int, CaptureError) -> Void = { _, _ in }) throws(CaptureError) -> [Message] {
        let file = try CaptureFile(bytes: bytes)
        var out: [Message] = []
        var framers: [TCPFlow: StreamFramer] = [:]
        var index = 0
        for payload in file.transportPayloads(skipped: skipped) {
            index += 1
            switch payload {
            case .udp(let source, let destination, let data, let time):
                guard looksLikeSIP(data) else { continue }
                let origin = MessageReport.Origin(
                    transport: "udp", source: source.description, destination: destination.description, time: time.description,
                    packet: index)
                out.append(Message(origin: origin, bytes: data, framing: .datagram))
            case .tcpStream(let flow, let data, let time):
                var framer = framers[flow] ?? StreamFramer(maxMessageSize: 1 << 20)
                framer.append(data)
                let origin = MessageReport.Origin(
                    transport: "tcp", source: flow.source.description, destination: flow.destination.description,
                    time: time.description, packet: index)
                do {
                    while let frame = try framer.next() {
                        if case .message(let m) = frame { out.append(Message(origin: origin, bytes: m, framing: .stream)) }
                    }
                    framers[flow] = framer
                } catch {
                    out.append(Message(origin: origin, bytes: data, framing: .stream, framingError: error))
                    framers[flow] = StreamFramer(maxMessageSize: 1 << 20)
                }
            case .tcpGap(let flow, _, _):
                // Bytes were never captured: start framing afresh after the hole.
                framers[flow] = StreamFramer(maxMessageSize: 1 << 20)
            }
        }
        return out
    }

    /// Reports for every message of a capture.
    public static func reports(from bytes: [UInt8]) throws(CaptureError) -> [MessageReport] {
        try extract(from: bytes).map { m in
            if let e = m.framingError { return MessageReport(framingError: e, bytes: m.bytes, origin: m.origin) }
            return MessageReport(bytes: m.bytes, framing: m.framing, origin: m.origin)
        }
    }
}

extension String {
    func trimmingSuffixCR() -> String { hasSuffix("\r") ? String(dropLast()) : self }
}
