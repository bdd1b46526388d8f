/// Rebuilds each direction of each TCP connection into its in-order byte stream.
///
/// Segments are placed by sequence number (modulo 2^32): data already
/// delivered (retransmissions, overlaps) is trimmed, data ahead of the next
/// expected byte waits until the hole is filled. A SYN fixes the stream start;
/// a capture that begins mid-connection starts at the first data seen. After a
/// FIN or RST, a new SYN on the same addresses starts a new stream. If more
/// than `maximumBufferedBytes` wait behind a hole (the capture lost a segment),
/// the hole is reported as a gap and delivery goes on after it.
public struct TCPReassembler: Sendable {
    private struct Waiting: Sendable {
        var sequence: UInt32
        var bytes: [UInt8]
    }

    private struct Stream: Sendable {
        var next: UInt32
        var waiting: [Waiting] = []
        var waitingBytes = 0
        var finSequence: UInt32?
        var closed = false
    }

    public let maximumBufferedBytes: Int
    private var streams: [TCPFlow: Stream] = [:]
    /// Flows in the order first seen, so `finish()` reports them deterministically.
    private var flowOrder: [TCPFlow] = []

    public init(maximumBufferedBytes: Int = 1 << 20) {
        self.maximumBufferedBytes = maximumBufferedBytes
    }

    /// Adds one captured segment; returns the stream bytes (and gaps) it makes deliverable.
    public mutating func append(_ segment: Segment) -> [TransportPayload] {
        let flow = segment.flow
        let time = segment.timestamp
        var output: [TransportPayload] = []
        if segment.flags.contains(.rst) {
            if var stream = streams[flow] {
                flush(&stream, flow: flow, time: time, into: &output)
                stream.closed = true
                streams[flow] = stream
            }
            return output
        }
        let dataStart = segment.flags.contains(.syn) ? segment.sequenceNumber &+ 1 : segment.sequenceNumber
        if segment.flags.contains(.syn) {
            if var old = streams[flow], old.closed || old.next != dataStart {
                flush(&old, flow: flow, time: time, into: &output)
                streams[flow] = nil
            }
        }
        if streams[flow] == nil {
            if !segment.flags.contains(.syn) && segment.payload.isEmpty {
                // A bare ACK mid-connection says nothing about where the stream starts.
                return output
            }
            streams[flow] = Stream(next: dataStart)
            if !flowOrder.contains(flow) {
                flowOrder.append(flow)
            }
        }
        var stream = streams[flow]!
        if stream.closed && !segment.flags.contains(.syn) {
            return output
        }
        if segment.flags.contains(.fin) {
            stream.finSequence = dataStart &+ UInt32(truncatingIfNeeded: segment.payload.count)
        }
        var delivered: [UInt8] = []
        place(segment.payload, at: dataStart, in: &stream, delivered: &delivered)
        while stream.waitingBytes > maximumBufferedBytes, let earliest = earliestWaiting(stream) {
            if !delivered.isEmpty {
                output.append(.tcpStream(flow: flow, bytes: delivered, time: time))
                delivered = []
            }
            let missing = Int(Self.distance(from: stream.next, to: earliest))
            output.append(.tcpGap(flow: flow, missingBytes: missing, time: time))
            stream.next = earliest
            drain(&stream, delivered: &delivered)
        }
        if !delivered.isEmpty {
            output.append(.tcpStream(flow: flow, bytes: delivered, time: time))
        }
        if let fin = stream.finSequence, stream.next == fin {
            stream.closed = true
        }
        streams[flow] = stream
        return output
    }

    /// Ends the capture: bytes still waiting behind a hole are delivered after a gap.
    public mutating func finish(time: CaptureTimestamp? = nil) -> [TransportPayload] {
        var output: [TransportPayload] = []
        for flow in flowOrder {
            guard var stream = streams[flow] else { continue }
            flush(&stream, flow: flow, time: time, into: &output)
            streams[flow] = stream
        }
        return output
    }

    /// Delivers everything waiting, reporting each hole as a gap.
    private func flush(_ stream: inout Stream, flow: TCPFlow, time: CaptureTimestamp?, into output: inout [TransportPayload]) {
        while let earliest = earliestWaiting(stream) {
            let at = time ?? .zero
            let missing = Int(Self.distance(from: stream.next, to: earliest))
            if missing > 0 {
                output.append(.tcpGap(flow: flow, missingBytes: missing, time: at))
                stream.next = earliest
            }
            var delivered: [UInt8] = []
            drain(&stream, delivered: &delivered)
            if !delivered.isEmpty {
                output.append(.tcpStream(flow: flow, bytes: delivered, time: at))
            }
        }
    }

    /// Delivers the part of `bytes` at or after `stream.next`, or keeps it waiting if it starts later.
    private func place(_ bytes: [UInt8], at sequence: UInt32, in stream: inout Stream, delivered: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let offset = Self.distance(from: stream.next, to: sequence)
        if offset > 0 {
            let duplicate = stream.waiting.contains { $0.sequence == sequence && $0.bytes.count >= bytes.count }
            if !duplicate {
                stream.waiting.append(Waiting(sequence: sequence, bytes: bytes))
                stream.waitingBytes += bytes.count
            }
            return
        }
        let alreadyDelivered = Int(-offset)
        guard alreadyDelivered < bytes.count else {
            return  // a retransmission of bytes already delivered
        }
        delivered.append(contentsOf: bytes[alreadyDelivered...])
        stream.next = stream.next &+ UInt32(bytes.count - alreadyDelivered)
        drain(&stream, delivered: &delivered)
    }

    /// Moves waiting segments that now start at or before `stream.next` into `delivered`.
    private func drain(_ stream: inout Stream, delivered: inout [UInt8]) {
        var progressed = true
        while progressed {
            progressed = false
            var index = 0
            while index < stream.waiting.count {
                let waiting = stream.waiting[index]
                let offset = Self.distance(from: stream.next, to: waiting.sequence)
                if offset <= 0 {
                    stream.waiting.remove(at: index)
                    stream.waitingBytes -= waiting.bytes.count
                    let alreadyDelivered = Int(-offset)
                    if alreadyDelivered < waiting.bytes.count {
                        delivered.append(contentsOf: waiting.bytes[alreadyDelivered...])
                        stream.next = stream.next &+ UInt32(waiting.bytes.count - alreadyDelivered)
                        progressed = true
                    }
                } else {
                    index += 1
                }
            }
        }
    }

    private func earliestWaiting(_ stream: Stream) -> UInt32? {
        stream.waiting.map(\.sequence).min { Self.distance(from: stream.next, to: $0) < Self.distance(from: stream.next, to: $1) }
    }

    /// Signed distance from `a` to `b` in sequence space (RFC 9293 section 3.4 comparisons).
    static func distance(from a: UInt32, to b: UInt32) -> Int64 {
        Int64(Int32(bitPattern: b &- a))
    }
}
