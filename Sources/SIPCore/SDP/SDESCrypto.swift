/// An `a=crypto` attribute (RFC 4568 4): SRTP keys carried in the SDP (SDES).
public struct SDESCrypto: Sendable, Hashable {
    /// Identifies this offer among several; the answer echoes the chosen tag (RFC 4568 5.1.2).
    public var tag: UInt32
    /// `AES_CM_128_HMAC_SHA1_80`, `AES_CM_128_HMAC_SHA1_32`, `AEAD_AES_256_GCM`...
    public var suite: String
    /// One or more key parameters, `;`-separated on the wire.
    public var keyParameters: [SDESKeyParameter]
    /// Session parameters such as `KDR=1`, `UNENCRYPTED_SRTCP`, `FEC_ORDER=FEC_SRTP`, as sent.
    public var sessionParameters: [String]

    public init(tag: UInt32, suite: String, keyParameters: [SDESKeyParameter], sessionParameters: [String] = []) {
        self.tag = tag
        self.suite = suite
        self.keyParameters = keyParameters
        self.sessionParameters = sessionParameters
    }

    /// A crypto line with one inline key made from raw master key and salt bytes.
    public init(tag: UInt32, suite: String, masterKeyAndSalt: [UInt8]) {
        self.init(
            tag: tag, suite: suite,
            keyParameters: [SDESKeyParameter(keySalt: SDPBase64.encode(masterKeyAndSalt))])
    }

    /// Parses an `a=crypto` value; nil when the tag, suite or key parameters are malformed.
    public init?(attributeValue value: String) {
        let bytes = ArraySlice(value.utf8)
        let fields = SDPBytes.fields(bytes)
        guard fields.count >= 3, fields[0].count <= 9,
            let tag = SDPBytes.decimal(fields[0], as: UInt32.self)
        else { return nil }
        var keys: [SDESKeyParameter] = []
        for key in fields[2].split(separator: SDPBytes.semicolon) {
            guard let parameter = SDESKeyParameter(bytes: key) else { return nil }
            keys.append(parameter)
        }
        guard !keys.isEmpty else { return nil }
        self.tag = tag
        self.suite = SDPBytes.string(fields[1])
        self.keyParameters = keys
        self.sessionParameters = fields.dropFirst(3).map(SDPBytes.string)
    }

    public var attributeValue: String {
        var text = "\(tag) \(suite) "
        text += keyParameters.map(\.text).joined(separator: ";")
        for parameter in sessionParameters {
            text += " " + parameter
        }
        return text
    }

    /// The attribute to put in a media section.
    public var attribute: SDPAttribute { SDPAttribute(name: "crypto", value: attributeValue) }
}

/// One key parameter of `a=crypto` (RFC 4568 6.1): `inline:<key||salt>[|lifetime][|MKI:length]`.
public struct SDESKeyParameter: Sendable, Hashable {
    /// Key lifetime in SRTP packets (RFC 4568 6.1), kept in the form it was written.
    public enum Lifetime: Sendable, Hashable {
        case packets(UInt64)
        /// `2^n`
        case powerOfTwo(UInt8)

        public var packets: UInt64 {
            switch self {
            case .packets(let count): count
            case .powerOfTwo(let exponent): exponent >= 64 ? .max : 1 << UInt64(exponent)
            }
        }

        var text: String {
            switch self {
            case .packets(let count): String(count)
            case .powerOfTwo(let exponent): "2^\(exponent)"
            }
        }
    }

    /// Master Key Identifier value and its length in bytes on the wire.
    public struct MKI: Sendable, Hashable {
        public var value: UInt64
        public var length: UInt8

        public init(value: UInt64, length: UInt8) {
            self.value = value
            self.length = length
        }
    }

    /// `inline` for SRTP; other methods are kept with their raw info in ``keySalt``.
    public var method: String
    /// Base64 of the concatenated master key and salt, as sent.
    public var keySalt: String
    public var lifetime: Lifetime?
    public var mki: MKI?

    public init(method: String = "inline", keySalt: String, lifetime: Lifetime? = nil, mki: MKI? = nil) {
        self.method = method
        self.keySalt = keySalt
        self.lifetime = lifetime
        self.mki = mki
    }

    /// The decoded master key and salt, or nil when ``keySalt`` is not valid base64.
    public var keySaltBytes: [UInt8]? { SDPBase64.decode(keySalt.utf8) }

    init?(bytes: ArraySlice<UInt8>) {
        let (method, info) = SDPBytes.splitOnce(bytes, at: SDPBytes.colon)
        guard !method.isEmpty, let info, !info.isEmpty else { return nil }
        self.method = SDPBytes.string(method)
        guard method.elementsEqual("inline".utf8) else {
            self.keySalt = SDPBytes.string(info)
            return
        }
        let parts = info.split(separator: SDPBytes.pipe, omittingEmptySubsequences: false)
        guard parts.count <= 3, !parts[0].isEmpty else { return nil }
        self.keySalt = SDPBytes.string(parts[0])
        for part in parts.dropFirst() {
            if let colon = part.firstIndex(of: SDPBytes.colon) {
                guard mki == nil,
                    let value = SDPBytes.decimal(part[part.startIndex..<colon], as: UInt64.self),
                    let length = SDPBytes.decimal(part[(colon + 1)...], as: UInt8.self),
                    length >= 1, length <= 128
                else { return nil }
                mki = MKI(value: value, length: length)
            } else {
                guard lifetime == nil, mki == nil else { return nil }
                if part.starts(with: "2^".utf8) {
                    guard let exponent = SDPBytes.decimal(part.dropFirst(2), as: UInt8.self), exponent < 64 else {
                        return nil
                    }
                    lifetime = .powerOfTwo(exponent)
                } else {
                    guard let count = SDPBytes.decimal(part, as: UInt64.self) else { return nil }
                    lifetime = .packets(count)
                }
            }
        }
    }

    var text: String {
        var text = method + ":" + keySalt
        if let lifetime { text += "|" + lifetime.text }
        if let mki { text += "|\(mki.value):\(mki.length)" }
        return text
    }
}
