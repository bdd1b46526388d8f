/// An `a=` line (RFC 8866 5.13): a property attribute (`a=rtcp-mux`) or a
/// value attribute (`a=rtpmap:0 PCMU/8000`).
///
/// Unknown attributes are kept exactly as received; the value is everything
/// after the first `:`, untrimmed, so rendering reproduces the line.
public struct SDPAttribute: Sendable, Hashable {
    public var name: String
    /// nil for a property attribute; `""` for `a=name:` with nothing after the colon.
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    func render(into output: inout [UInt8]) {
        output.append(contentsOf: "a=".utf8)
        SDPBytes.append(name, to: &output)
        if let value {
            output.append(SDPBytes.colon)
            SDPBytes.append(value, to: &output)
        }
    }
}
