/// Why an `a=crypto` line cannot key an SRTP session; the offer/answer code answers 488 for any of them.
public enum SRTPKeyError: Error, Sendable, Hashable {
    /// A suite Switchboard does not implement (for example `AES_256_CM_HMAC_SHA1_80`, `F8_128_HMAC_SHA1_80`).
    case unsupportedSuite(String)
    /// Not the `inline` key method.
    case unsupportedKeyMethod(String)
    /// More than one key parameter; Switchboard keys each direction with one master key.
    case multipleKeys(Int)
    /// The key||salt is not valid base64.
    case invalidKeyEncoding
    /// The key||salt decodes to the wrong number of bytes for the suite.
    case wrongKeyLength(expected: Int, actual: Int)
    /// A lifetime of zero, or over the 2^48 SRTP packets any key allows (RFC 3711 9.2).
    case invalidLifetime(UInt64)
    /// An MKI value that does not fit its declared length.
    case invalidMKI(value: UInt64, length: UInt8)
    /// A session parameter Switchboard does not implement (`UNENCRYPTED_SRTP`, `KDR=n` other than 0, `FEC_ORDER`...).
    case unsupportedSessionParameter(String)

    /// The SIP status an offer carrying this key gets.
    public var sipStatus: Int { 488 }
}
