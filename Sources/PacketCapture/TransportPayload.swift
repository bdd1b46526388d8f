/// Transport-layer payload in capture order, ready to be framed into SIP messages.
///
/// UDP datagrams come whole (IP fragments already joined). TCP comes as
/// chunks of each direction's byte stream, in stream order, with
/// retransmissions removed and out-of-order segments put back in place; a
/// consumer appends the chunks of one flow and frames messages out of them.
public enum TransportPayload: Hashable, Sendable {
    case udp(source: Endpoint, destination: Endpoint, payload: [UInt8], time: CaptureTimestamp)
    /// The next bytes of `flow`'s stream; `time` is when the segment completing them was captured.
    case tcpStream(flow: TCPFlow, bytes: [UInt8], time: CaptureTimestamp)
    /// Bytes of `flow`'s stream that were never captured; the next chunk follows the hole.
    /// A consumer framing messages must resynchronise after a gap.
    case tcpGap(flow: TCPFlow, missingBytes: Int, time: CaptureTimestamp)
}
