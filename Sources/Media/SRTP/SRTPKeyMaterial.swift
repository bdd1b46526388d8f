import SIPCore

/// One direction's SDES keying: suite, master key and salt, lifetime and MKI (RFC 4568 6.1).
/// Its descriptions never show the key: logs and `dump` print `<redacted>`.
public struct SRTPKeyMaterial: Sendable, Equatable {
    /// The SRTP packet limit when no lifetime is given (RFC 3711 9.2: 2^48 for SRTP).
    public static let maximumLifetime: UInt64 = 1 << 48

    public let suite: SRTPCryptoSuite
    /// Master key followed by master salt.
    let keyAndSalt: [UInt8]
    /// Packets this key may protect; nil means the SRTP limit.
    public let lifetime: UInt64?
    /// Master Key Identifier carried in every packet, when negotiated.
    public let mki: SDESKeyParameter.MKI?

    /// Key material from raw bytes; `keyAndSalt` must be ``SRTPCryptoSuite/keyMaterialLength`` long.
    public init(
        suite: SRTPCryptoSuite, keyAndSalt: [UInt8], lifetime: UInt64? = nil, mki: SDESKeyParameter.MKI? = nil
    ) throws(SRTPKeyError) {
        guard keyAndSalt.count == suite.keyMaterialLength else {
            throw .wrongKeyLength(expected: suite.keyMaterialLength, actual: keyAndSalt.count)
        }
        if let lifetime, lifetime == 0 || lifetime > Self.maximumLifetime { throw .invalidLifetime(lifetime) }
        if let mki, mki.length < 8, mki.value >> (8 * UInt64(mki.length)) != 0 {
            throw .invalidMKI(value: mki.value, length: mki.length)
        }
        self.suite = suite
        self.keyAndSalt = keyAndSalt
        self.lifetime = lifetime
        self.mki = mki
    }

    /// Key material from a peer's `a=crypto` attribute (RFC 4568 9.1, 9.2).
    public init(crypto: SDESCrypto) throws(SRTPKeyError) {
        guard let suite = SRTPCryptoSuite(sdpName: crypto.suite) else { throw .unsupportedSuite(crypto.suite) }
        guard crypto.keyParameters.count == 1, let key = crypto.keyParameters.first else {
            throw .multipleKeys(crypto.keyParameters.count)
        }
        guard key.method == "inline" else { throw .unsupportedKeyMethod(key.method) }
        for parameter in crypto.sessionParameters where parameter != "KDR=0" {
            throw .unsupportedSessionParameter(parameter)
        }
        guard let bytes = key.keySaltBytes else { throw .invalidKeyEncoding }
        try self.init(suite: suite, keyAndSalt: bytes, lifetime: key.lifetime?.packets, mki: key.mki)
    }

    /// Fresh random key material for an offer or answer of ours (getrandom through the system generator).
    public static func generate(suite: SRTPCryptoSuite) -> SRTPKeyMaterial {
        SRTPKeyMaterial(unchecked: suite, keyAndSalt: randomBytes(suite.keyMaterialLength))
    }

    /// Fresh random key material sent with an MKI; throws when the MKI value does not fit its length.
    public static func generate(suite: SRTPCryptoSuite, mki: SDESKeyParameter.MKI) throws(SRTPKeyError) -> SRTPKeyMaterial {
        try SRTPKeyMaterial(suite: suite, keyAndSalt: randomBytes(suite.keyMaterialLength), mki: mki)
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// For a key of the suite's length without lifetime or MKI, which cannot be invalid.
    private init(unchecked suite: SRTPCryptoSuite, keyAndSalt: [UInt8]) {
        self.suite = suite
        self.keyAndSalt = keyAndSalt
        self.lifetime = nil
        self.mki = nil
    }

    /// The `a=crypto` attribute that carries this key (lifetime and MKI included when set).
    public func sdesCrypto(tag: UInt32) -> SDESCrypto {
        var crypto = SDESCrypto(tag: tag, suite: suite.sdpName, masterKeyAndSalt: keyAndSalt)
        if let lifetime {
            crypto.keyParameters[0].lifetime =
                lifetime.nonzeroBitCount == 1 ? .powerOfTwo(UInt8(lifetime.trailingZeroBitCount)) : .packets(lifetime)
        }
        crypto.keyParameters[0].mki = mki
        return crypto
    }

    /// The MKI as it appears on the wire: `length` bytes, big-endian.
    var mkiBytes: [UInt8]? {
        guard let mki else { return nil }
        return (0..<Int(mki.length)).map { index in
            let shift = 8 * (Int(mki.length) - 1 - index)
            return shift >= 64 ? 0 : UInt8(truncatingIfNeeded: mki.value >> UInt64(shift))
        }
    }
}

extension SRTPKeyMaterial: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var text = "SRTPKeyMaterial(\(suite.sdpName), key: <redacted>"
        if let lifetime { text += ", lifetime: \(lifetime)" }
        if let mki { text += ", mki: \(mki.value):\(mki.length)" }
        return text + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["suite": suite, "key": "<redacted>", "lifetime": lifetime as Any, "mki": mki as Any],
            displayStyle: .struct)
    }
}
