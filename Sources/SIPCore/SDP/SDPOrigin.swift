/// The `o=` line (RFC 8866 5.2): who created the session and which version of it this is.
public struct SDPOrigin: Sendable, Hashable {
    public var username: String { didSet { verbatim = .init() } }
    /// Kept as text: peers send values wider than 64 bits, and it is only ever compared.
    public var sessionID: String { didSet { verbatim = .init() } }
    /// RFC 3264 8: increases by one with each modified offer or answer.
    public var sessionVersion: UInt64 { didSet { verbatim = .init() } }
    public var netType: String { didSet { verbatim = .init() } }
    public var addrType: String { didSet { verbatim = .init() } }
    public var address: String { didSet { verbatim = .init() } }

    var verbatim = SDPVerbatimLine()

    public init(
        username: String = "-", sessionID: String, sessionVersion: UInt64,
        netType: String = "IN", addrType: String = "IP4", address: String
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.netType = netType
        self.addrType = addrType
        self.address = address
    }

    /// Parses the value of an `o=` line; nil when it is not six fields with a numeric version.
    init?(value: ArraySlice<UInt8>) {
        let fields = SDPBytes.fields(value)
        guard fields.count == 6, let version = SDPBytes.decimal(fields[2], as: UInt64.self) else {
            return nil
        }
        self.username = SDPBytes.string(fields[0])
        self.sessionID = SDPBytes.string(fields[1])
        self.sessionVersion = version
        self.netType = SDPBytes.string(fields[3])
        self.addrType = SDPBytes.string(fields[4])
        self.address = SDPBytes.string(fields[5])
    }

    func render(into output: inout [UInt8]) {
        if let bytes = verbatim.bytes {
            output.append(contentsOf: bytes)
            return
        }
        output.append(contentsOf: "o=".utf8)
        SDPBytes.append(username, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(sessionID, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(decimal: sessionVersion, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(netType, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(addrType, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(address, to: &output)
    }
}
