/// One TCP segment as captured, before stream reassembly.
public struct Segment: Hashable, Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    public var flags: TCPFlags
    public var payload: [UInt8]
    public var timestamp: CaptureTimestamp

    public init(
        source: Endpoint,
        destination: Endpoint,
        sequenceNumber: UInt32,
        acknowledgmentNumber: UInt32 = 0,
        flags: TCPFlags,
        payload: [UInt8],
        timestamp: CaptureTimestamp
    ) {
        self.source = source
        self.destination = destination
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.flags = flags
        self.payload = payload
        self.timestamp = timestamp
    }

    /// The direction of the connection this segment travels in.
    public var flow: TCPFlow {
        TCPFlow(source: source, destination: destination)
    }
}

/// The TCP header's control bits (RFC 9293 section 3.1).
public struct TCPFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
}

/// One direction of a TCP connection: bytes flow from `source` to `destination`.
public struct TCPFlow: Hashable, Sendable, CustomStringConvertible {
    public var source: Endpoint
    public var destination: Endpoint

    public init(source: Endpoint, destination: Endpoint) {
        self.source = source
        self.destination = destination
    }

    /// The other direction of the same connection.
    public var reversed: TCPFlow {
        TCPFlow(source: destination, destination: source)
    }

    public var description: String {
        "\(source) -> \(destination)"
    }
}
