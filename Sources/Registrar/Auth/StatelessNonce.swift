/// Nonces that need no server state (RFC 7616 section 5.4 suggests the
/// shape): `base64url(issued ‖ salt ‖ HMAC-SHA-256(secret, issued ‖ salt ‖ realm [‖ source]))`.
/// The 8 random salt bytes make every challenge's nonce unique, so two
/// phones challenged in the same millisecond never share a nonce (and its
/// nonce-count history).
///
/// Any node holding the secret checks a nonce any other node issued; the
/// issue time inside it tells whether it has expired. Retired secrets are
/// still accepted, so the secret can be rotated without failing every
/// phone in the middle of a registration.
public struct StatelessNonce: Sendable {
    /// How long a nonce is accepted after it was issued.
    public let lifetime: Duration
    /// Whether the client's source address is signed into the nonce, so a
    /// nonce seen on the wire cannot be used from elsewhere. Off by default:
    /// a phone behind a NAT that rebinds would fail until it is challenged again.
    public let bindsSourceAddress: Bool
    /// The current secret first, then the retired ones, each made ready once.
    private let keys: [HMACSHA256.Key]

    static let timeByteCount = 8
    static let saltByteCount = 8
    static let byteCount = timeByteCount + saltByteCount + HMACSHA256.outputByteCount

    /// What checking a nonce found.
    public enum Check: Sendable, Hashable {
        /// Signed by us and younger than the lifetime.
        case valid(issuedAt: WallTime)
        /// Signed by us but older than the lifetime: challenge again with `stale=true`.
        case stale(issuedAt: WallTime)
        /// Not one of ours (forged, corrupted, other realm or other source).
        case invalid
    }

    /// - Parameter secret: at least 16 random bytes, the same on every node.
    public init(secret: [UInt8], retiredSecrets: [[UInt8]] = [], lifetime: Duration, bindsSourceAddress: Bool = false) {
        precondition(secret.count >= 16, "a nonce secret needs at least 16 bytes")
        precondition(lifetime > .zero, "a nonce lifetime must be positive")
        keys = ([secret] + retiredSecrets).map(HMACSHA256.Key.init)
        self.lifetime = lifetime
        self.bindsSourceAddress = bindsSourceAddress
    }

    /// A new nonce for `realm`, issued at `now`.
    public func issue(realm: String, source: String?, now: WallTime) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt: UInt64 = generator.next()
        let signed = Self.timeBytes(now) + Self.bigEndianBytes(salt)
        return Base64URL.encode(signed + signature(key: keys[0], time: signed, realm: realm, source: source))
    }

    /// Whether `nonce` is ours, and still fresh at `now`.
    public func check(_ nonce: String, realm: String, source: String?, now: WallTime) -> Check {
        guard nonce.utf8.count <= 2 * Self.byteCount, let bytes = Base64URL.decode(nonce), bytes.count == Self.byteCount else {
            return .invalid
        }
        let signedPart = Array(bytes[0..<Self.timeByteCount + Self.saltByteCount])
        let time = signedPart[0..<Self.timeByteCount]
        let mac = Array(bytes[(Self.timeByteCount + Self.saltByteCount)...])
        var signed = false
        for key in keys {
            // Every key is tried, so the time taken does not tell which one matched.
            if Hex.constantTimeEqual(mac, signature(key: key, time: signedPart, realm: realm, source: source)) {
                signed = true
            }
        }
        guard signed else { return .invalid }
        var ms: Int64 = 0
        for b in time { ms = ms << 8 | Int64(b) }
        let issued = WallTime(millisecondsSinceEpoch: ms)
        // A nonce from the future is a node whose clock runs ahead; it is
        // accepted up to one lifetime ahead, never beyond.
        if issued > now + lifetime { return .invalid }
        return now < expiry(ofNonceIssuedAt: issued) ? .valid(issuedAt: issued) : .stale(issuedAt: issued)
    }

    /// The first instant at which a nonce issued at `issued` is stale.
    public func expiry(ofNonceIssuedAt issued: WallTime) -> WallTime { issued + lifetime }

    private func signature(key: HMACSHA256.Key, time: [UInt8], realm: String, source: String?) -> [UInt8] {
        var message = time
        Self.appendField(Array(realm.utf8), to: &message)
        if bindsSourceAddress { Self.appendField(Array((source ?? "").utf8), to: &message) }
        return key.authenticationCode(message)
    }

    /// Length-prefixed, so that no two (realm, source) pairs sign the same bytes.
    private static func appendField(_ field: [UInt8], to message: inout [UInt8]) {
        let n = UInt32(clamping: field.count)
        message += [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
        message += field
    }

    private static func timeBytes(_ t: WallTime) -> [UInt8] {
        bigEndianBytes(UInt64(bitPattern: t.millisecondsSinceEpoch))
    }

    private static func bigEndianBytes(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(v >> UInt64(56 - 8 * $0) & 0xff) }
    }
}
