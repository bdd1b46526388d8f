/// An `a=rtpmap` attribute (RFC 8866 6.6): what a payload type number means.
public struct RTPMap: Sendable, Hashable {
    public var payloadType: UInt8
    /// As sent (`PCMU`, `opus`, `telephone-event`); compare case-insensitively.
    public var encodingName: String
    public var clockRate: UInt32
    /// For audio, the channel count; unset means one channel.
    public var encodingParameters: String?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, encodingParameters: String? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.encodingParameters = encodingParameters
    }

    /// Audio channels (RFC 8866 6.6: absent means 1).
    public var channels: Int {
        guard let encodingParameters, let count = SDPBytes.decimal(Substring(encodingParameters), as: UInt16.self)
        else { return 1 }
        return Int(count)
    }

    /// The attribute value, `<pt> <name>/<rate>[/<params>]`.
    public var attributeValue: String {
        var text = "\(payloadType) \(encodingName)/\(clockRate)"
        if let encodingParameters { text += "/\(encodingParameters)" }
        return text
    }

    /// The `a=rtpmap` attribute to put in a media section.
    public var attribute: SDPAttribute { SDPAttribute(name: "rtpmap", value: attributeValue) }

    /// Parses an `a=rtpmap` value; nil when malformed.
    public init?(attributeValue value: String) {
        let bytes = ArraySlice(value.utf8)
        let (number, rest) = SDPBytes.splitOnce(bytes, at: SDPBytes.space)
        guard let payloadType = SDPBytes.decimal(number, as: UInt8.self), payloadType <= 127, let rest else {
            return nil
        }
        let encoding = SDPBytes.trimmed(rest)
        let (name, afterName) = SDPBytes.splitOnce(encoding, at: SDPBytes.slash)
        guard !name.isEmpty, let afterName else { return nil }
        let (rate, parameters) = SDPBytes.splitOnce(afterName, at: SDPBytes.slash)
        guard let clockRate = SDPBytes.decimal(rate, as: UInt32.self) else { return nil }
        self.payloadType = payloadType
        self.encodingName = SDPBytes.string(name)
        self.clockRate = clockRate
        self.encodingParameters = parameters.map(SDPBytes.string)
    }

    /// Static payload types of RFC 3551 table 4 still seen on trunks, for
    /// m= lines that omit their rtpmap.
    public static func staticPayloadType(_ payloadType: UInt8) -> RTPMap? {
        switch payloadType {
        case 0: RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000)
        case 3: RTPMap(payloadType: 3, encodingName: "GSM", clockRate: 8000)
        case 4: RTPMap(payloadType: 4, encodingName: "G723", clockRate: 8000)
        case 8: RTPMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000)
        case 9: RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000)
        case 13: RTPMap(payloadType: 13, encodingName: "CN", clockRate: 8000)
        case 18: RTPMap(payloadType: 18, encodingName: "G729", clockRate: 8000)
        default: nil
        }
    }
}
