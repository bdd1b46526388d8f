/// One `Digest` challenge, the value of a WWW-Authenticate or
/// Proxy-Authenticate header field (RFC 7616 section 3.3, RFC 8760 section 2.3).
public struct DigestChallenge: Sendable, Hashable, CustomStringConvertible {
    public var realm: String
    public var nonce: String
    public var opaque: String?
    public var algorithm: DigestAlgorithm
    /// The previous request's nonce had expired; the client may retry without asking its user.
    public var stale: Bool
    /// Whether the client may send `username` hashed (RFC 7616 section 3.4.4).
    public var userhash: Bool

    public init(realm: String, nonce: String, opaque: String? = nil, algorithm: DigestAlgorithm, stale: Bool = false, userhash: Bool = false) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.stale = stale
        self.userhash = userhash
    }

    /// One challenge per algorithm in the operator's order of preference,
    /// all with the same nonce (RFC 8760 section 2.4, RFC 7616 section 3.7:
    /// the preferred challenge first). The order is configuration because
    /// clients differ: many answer only the first challenge, and some
    /// refuse a 401 naming an algorithm they do not know.
    public static func offer(realm: String, nonce: String, opaque: String? = nil, algorithms: some Sequence<DigestAlgorithm>, stale: Bool = false, userhash: Bool = false) -> [DigestChallenge] {
        var seen = Set<DigestAlgorithm>()
        return algorithms.filter { seen.insert($0).inserted }.map {
            DigestChallenge(realm: realm, nonce: nonce, opaque: opaque, algorithm: $0, stale: stale, userhash: userhash)
        }
    }

    /// The header field value: `Digest realm="…", nonce="…", algorithm=SHA-256, qop="auth"`.
    /// `algorithm` and `stale` are tokens, the rest quoted strings (RFC 7616 section 3.3).
    public var headerValue: String {
        var s = ""
        s.reserveCapacity(realm.utf8.count + nonce.utf8.count + (opaque?.utf8.count ?? 0) + 80)
        s += "Digest realm="
        Self.appendQuoted(realm, to: &s)
        s += ", nonce="
        Self.appendQuoted(nonce, to: &s)
        if let opaque {
            s += ", opaque="
            Self.appendQuoted(opaque, to: &s)
        }
        s += ", algorithm="
        s += algorithm.rawValue
        s += ", qop=\"auth\""
        if stale { s += ", stale=true" }
        if userhash { s += ", userhash=true" }
        return s
    }

    public var description: String { headerValue }

    /// A quoted string, with `"` and `\` escaped (RFC 3261 section 25.1).
    static func quoted(_ value: String) -> String {
        var s = ""
        appendQuoted(value, to: &s)
        return s
    }

    /// Appends `value` as a quoted string.
    static func appendQuoted(_ value: String, to s: inout String) {
        s += "\""
        // Realms and nonces rarely need an escape: no per-character copy for them.
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            s += value
        } else {
            for c in value.unicodeScalars {
                if c == "\"" || c == "\\" { s.unicodeScalars.append("\\") }
                s.unicodeScalars.append(c)
            }
        }
        s += "\""
    }
}
