/// The `a=rtcp` attribute (RFC 3605): where RTCP goes when not on port + 1.
public struct SDPRTCPAttribute: Sendable, Hashable {
    public var port: UInt16
    /// The address part, when present (`IN IP4 192.0.2.1`).
    public var connection: SDPConnection?

    public init(port: UInt16, connection: SDPConnection? = nil) {
        self.port = port
        self.connection = connection
    }

    public init?(attributeValue value: String) {
        let bytes = ArraySlice(value.utf8)
        let fields = SDPBytes.fields(bytes)
        guard let first = fields.first, let port = SDPBytes.decimal(first, as: UInt16.self) else { return nil }
        self.port = port
        switch fields.count {
        case 1:
            self.connection = nil
        case 4:
            guard let connection = SDPConnection(value: bytes[fields[1].startIndex..<fields[3].endIndex]) else {
                return nil
            }
            self.connection = connection
        default:
            return nil
        }
    }

    public var attributeValue: String {
        guard let connection else { return String(port) }
        return "\(port) \(connection.netType) \(connection.addrType) \(connection.address)"
    }
}
