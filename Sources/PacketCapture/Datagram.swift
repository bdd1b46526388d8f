/// A UDP datagram, after IP reassembly.
public struct Datagram: Hashable, Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var payload: [UInt8]
    public var timestamp: CaptureTimestamp

    public init(source: Endpoint, destination: Endpoint, payload: [UInt8], timestamp: CaptureTimestamp) {
        self.source = source
        self.destination = destination
        self.payload = payload
        self.timestamp = timestamp
    }
}
