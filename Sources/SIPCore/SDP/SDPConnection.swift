/// A `c=` line (RFC 8866 5.7): where media is sent.
public struct SDPConnection: Sendable, Hashable {
    public var netType: String { didSet { verbatim = .init() } }
    public var addrType: String { didSet { verbatim = .init() } }
    /// The address or host name, without the `/ttl/count` suffix.
    public var address: String { didSet { verbatim = .init() } }
    /// Multicast TTL (IP4 only).
    public var ttl: UInt8? { didSet { verbatim = .init() } }
    /// Number of consecutive multicast addresses.
    public var count: UInt32? { didSet { verbatim = .init() } }

    var verbatim = SDPVerbatimLine()

    public init(
        netType: String = "IN", addrType: String = "IP4", address: String,
        ttl: UInt8? = nil, count: UInt32? = nil
    ) {
        self.netType = netType
        self.addrType = addrType
        self.address = address
        self.ttl = ttl
        self.count = count
    }

    /// An `IN IP4`/`IN IP6` connection for `address`, choosing the type by the presence of `:`.
    public init(address: String) {
        self.init(addrType: address.utf8.contains(SDPBytes.colon) ? "IP6" : "IP4", address: address)
    }

    /// True for `0.0.0.0` and `::`: RFC 2543 style hold (RFC 3264 8.4), or no address yet (ICE).
    public var isUnspecifiedAddress: Bool {
        address == "0.0.0.0" || address == "::"
    }

    /// Parses the value of a `c=` line; nil when malformed.
    init?(value: ArraySlice<UInt8>) {
        let fields = SDPBytes.fields(value)
        guard fields.count == 3 else { return nil }
        let parts = fields[2].split(separator: SDPBytes.slash, omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty, parts.count <= 3 else { return nil }
        self.netType = SDPBytes.string(fields[0])
        self.addrType = SDPBytes.string(fields[1])
        self.address = SDPBytes.string(host)
        self.ttl = nil
        self.count = nil
        let isIP6 = fields[1].elementsEqual("IP6".utf8)
        switch (parts.count, isIP6) {
        case (1, _):
            break
        case (2, true):
            guard let count = SDPBytes.decimal(parts[1], as: UInt32.self) else { return nil }
            self.count = count
        case (2, false):
            guard let ttl = SDPBytes.decimal(parts[1], as: UInt8.self) else { return nil }
            self.ttl = ttl
        case (3, false):
            guard let ttl = SDPBytes.decimal(parts[1], as: UInt8.self),
                let count = SDPBytes.decimal(parts[2], as: UInt32.self)
            else { return nil }
            self.ttl = ttl
            self.count = count
        default:
            return nil
        }
    }

    func render(into output: inout [UInt8]) {
        if let bytes = verbatim.bytes {
            output.append(contentsOf: bytes)
            return
        }
        output.append(contentsOf: "c=".utf8)
        SDPBytes.append(netType, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(addrType, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(address, to: &output)
        if let ttl {
            output.append(SDPBytes.slash)
            SDPBytes.append(decimal: ttl, to: &output)
        }
        if let count {
            output.append(SDPBytes.slash)
            SDPBytes.append(decimal: count, to: &output)
        }
    }
}
