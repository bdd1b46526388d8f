/// A `b=` line (RFC 8866 5.8): `AS`, `CT`, `TIAS` (RFC 3890), `RS`/`RR` (RFC 3556) or any other type.
public struct SDPBandwidth: Sendable, Hashable {
    public var type: String { didSet { verbatim = .init() } }
    /// Kilobits per second for `AS`/`CT`; the unit is defined by the type.
    public var value: UInt64 { didSet { verbatim = .init() } }

    var verbatim = SDPVerbatimLine()

    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    init?(value bytes: ArraySlice<UInt8>) {
        let (type, rest) = SDPBytes.splitOnce(bytes, at: SDPBytes.colon)
        guard !type.isEmpty, let rest, let value = SDPBytes.decimal(SDPBytes.trimmed(rest), as: UInt64.self)
        else { return nil }
        self.type = SDPBytes.string(type)
        self.value = value
    }

    func render(into output: inout [UInt8]) {
        if let bytes = verbatim.bytes {
            output.append(contentsOf: bytes)
            return
        }
        output.append(contentsOf: "b=".utf8)
        SDPBytes.append(type, to: &output)
        output.append(SDPBytes.colon)
        SDPBytes.append(decimal: value, to: &output)
    }
}
