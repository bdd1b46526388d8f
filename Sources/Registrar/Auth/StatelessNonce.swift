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
    /// Nonces whose signature was checked under `keys`: a phone's refreshes reuse its nonce.
    let verified: VerifiedNonces

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
        self.init(
            secret: secret, retiredSecrets: retiredSecrets, lifetime: lifetime, bindsSourceAddress: bindsSourceAddress,
            verifiedCapacity: 65_536)
    }

    /// - Parameter verifiedCapacity: how many checked nonces are remembered, so
    ///   that a refresh with a nonce already checked skips the HMAC.
    public init(secret: [UInt8], retiredSecrets: [[UInt8]] = [], lifetime: Duration, bindsSourceAddress: Bool = false, verifiedCapacity: Int) {
        precondition(secret.count >= 16, "a nonce secret needs at least 16 bytes")
        precondition(lifetime > .zero, "a nonce lifetime must be positive")
        keys = ([secret] + retiredSecrets).map(HMACSHA256.Key.init)
        verified = VerifiedNonces(capacity: max(1, verifiedCapacity))
        self.lifetime = lifetime
        self.bindsSourceAddress = bindsSourceAddress
    }

    /// A new nonce for `realm`, issued at `now`.
    public func issue(realm: String, source: String?, now: WallTime) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt: UInt64 = generator.next()
        var signed = [UInt8]()
        signed.reserveCapacity(Self.byteCount)
        Self.appendBigEndian(UInt64(bitPattern: now.millisecondsSinceEpoch), to: &signed)
        Self.appendBigEndian(salt, to: &signed)
        signed += signature(key: keys[0], signed: signed, realm: realm, source: source)
        return Base64URL.encode(signed)
    }

    /// Whether `nonce` is ours, and still fresh at `now`.
    public func check(_ nonce: String, realm: String, source: String?, now: WallTime) -> Check {
        var nonce = nonce
        return nonce.withUTF8 { check(bytes: $0, realm: realm, source: source, now: now) }
    }

    /// `check` for the nonce's text as bytes (as credentials carry it), with
    /// the decoding and the MAC in fixed buffers: no allocation.
    public func check(bytes nonce: some Collection<UInt8>, realm: String, source: String?, now: WallTime) -> Check {
        let signedSource = bindsSourceAddress ? (source ?? "") : nil
        let key = NonceCountTracker.Key(nonce)
        if let issued = verified.issuedAt(key, realm: realm, source: signedSource) {
            return freshness(issuedAt: issued, now: now)
        }
        let checked = checkSignature(nonce, realm: realm, source: source)
        guard let issued = checked else { return .invalid }
        verified.insert(key, issuedAt: issued, realm: realm, source: signedSource)
        return freshness(issuedAt: issued, now: now)
    }

    /// Whether a nonce issued at `issued` is still accepted at `now`.
    private func freshness(issuedAt issued: WallTime, now: WallTime) -> Check {
        // A nonce from the future is a node whose clock runs ahead; it is
        // accepted up to one lifetime ahead, never beyond.
        if issued > now + lifetime { return .invalid }
        return now < expiry(ofNonceIssuedAt: issued) ? .valid(issuedAt: issued) : .stale(issuedAt: issued)
    }

    /// The issue time of a nonce signed by one of `keys` for `realm` (and
    /// `source`), nil for anything else; the MAC compared in constant time
    /// under every key.
    private func checkSignature(_ nonce: some Collection<UInt8>, realm: String, source: String?) -> WallTime? {
        // Canonical base64url of exactly `byteCount` bytes, or not one of ours.
        withUnsafeTemporaryAllocation(byteCount: Self.byteCount + HMACSHA256.outputByteCount, alignment: 8) { buffer in
            let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Self.byteCount])
            let computed = UnsafeMutableRawBufferPointer(rebasing: buffer[Self.byteCount...])
            guard nonce.count <= 2 * Self.byteCount, Base64URL.decode(nonce, into: bytes) else { return nil }
            let signedCount = Self.timeByteCount + Self.saltByteCount
            let signedPart = UnsafeRawBufferPointer(rebasing: bytes[0..<signedCount])
            let mac = UnsafeRawBufferPointer(rebasing: bytes[signedCount...])
            var signed = false
            for key in keys {
                // Every key is tried, so the time taken does not tell which one matched.
                signature(key: key, signed: signedPart, realm: realm, source: source, into: computed)
                if Hex.constantTimeEqual(mac, UnsafeRawBufferPointer(computed)) {
                    signed = true
                }
            }
            guard signed else { return nil }
            var ms: Int64 = 0
            for b in bytes[0..<Self.timeByteCount] { ms = ms << 8 | Int64(b) }
            return WallTime(millisecondsSinceEpoch: ms)
        }
    }

    /// The first instant at which a nonce issued at `issued` is stale.
    public func expiry(ofNonceIssuedAt issued: WallTime) -> WallTime { issued + lifetime }

    /// The MAC over the issue time and salt, the realm and (when bound) the source.
    private func signature(key: HMACSHA256.Key, signed: [UInt8], realm: String, source: String?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: HMACSHA256.outputByteCount)
        signed.withUnsafeBytes { s in
            out.withUnsafeMutableBytes { o in signature(key: key, signed: s, realm: realm, source: source, into: o) }
        }
        return out
    }

    /// The same MAC, the message assembled in a temporary buffer and the code written to `out`.
    private func signature(
        key: HMACSHA256.Key, signed: UnsafeRawBufferPointer, realm: String, source: String?, into out: UnsafeMutableRawBufferPointer
    ) {
        var realm = realm
        var source = bindsSourceAddress ? (source ?? "") : ""
        realm.withUTF8 { realm in
            source.withUTF8 { source in
                let count = signed.count + 4 + realm.count + (bindsSourceAddress ? 4 + source.count : 0)
                withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { message in
                    var i = 0
                    func append(_ bytes: UnsafeRawBufferPointer) {
                        UnsafeMutableRawBufferPointer(rebasing: message[i..<(i + bytes.count)]).copyMemory(from: bytes)
                        i += bytes.count
                    }
                    // Length-prefixed, so that no two (realm, source) pairs sign the same bytes.
                    func appendField(_ field: UnsafeBufferPointer<UInt8>) {
                        let n = UInt32(clamping: field.count)
                        for shift in stride(from: 24, through: 0, by: -8) {
                            message[i] = UInt8(n >> UInt32(shift) & 0xff)
                            i += 1
                        }
                        append(UnsafeRawBufferPointer(field))
                    }
                    append(signed)
                    appendField(realm)
                    if bindsSourceAddress { appendField(source) }
                    key.authenticationCode(UnsafeRawBufferPointer(message), into: out)
                }
            }
        }
    }

    private static func appendBigEndian(_ v: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(v >> UInt64(shift) & 0xff)) }
    }
}
