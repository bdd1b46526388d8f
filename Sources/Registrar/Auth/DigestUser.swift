/// What checking a user's credentials needs: the name as the store knows it
/// and HA1 for the algorithm in use, without the record's other HA1s.
public struct DigestUser: Sendable {
    public var username: String
    /// HA1 for the algorithm; nil when the user has none for it.
    public var ha1: HA1Value?

    public init(username: String, ha1: HA1Value?) {
        self.username = username
        self.ha1 = ha1
    }

    /// One HA1, as `UserTable` keeps it (raw bytes, written as lowercase hex
    /// when used) or as text (a configured user, or an HA1 that is not lowercase hex).
    public enum HA1Value: Sendable {
        case raw(ArraySlice<UInt8>)
        case text(String)

        /// Hands HA1 written as in RFC 7616 3.4.2 (lowercase hex for a raw one) to `body`.
        func withText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            switch self {
            case .raw(let bytes):
                return withUnsafeTemporaryAllocation(byteCount: bytes.count * 2, alignment: 1) { hex in
                    _ = bytes.withUnsafeBytes { Hex.writeLowercase($0, to: hex) }
                    return body(UnsafeRawBufferPointer(hex))
                }
            case .text(var text):
                return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
            }
        }
    }
}

extension UserRecord {
    /// The record as the verifier reads it for `algorithm`.
    public func digestUser(algorithm: DigestAlgorithm) -> DigestUser {
        DigestUser(username: username, ha1: ha1[algorithm].map { .text($0) })
    }
}
