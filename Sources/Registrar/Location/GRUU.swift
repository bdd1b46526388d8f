import COpenSSL
import SIPCore

/// Globally routable UA URIs (RFC 5627): building the public and temporary
/// GRUUs a 200 hands out, and recognising them in a Request-URI.
public enum GRUU {
    /// Marks the user part of a temporary GRUU.
    static let tempPrefix = "tgruu."

    /// `sip:user@domain;gr=urn:…` (RFC 5627 3.1): the AOR plus the instance ID.
    public static func publicGRUU(aor: AddressOfRecord, instanceID: String) -> String {
        "\(aor);gr=\(urn(instanceID))"
    }

    /// `sip:tgruu.TOKEN@domain;gr` (RFC 5627 3.2).
    public static func temporaryGRUU(aor: AddressOfRecord, token: String) -> String {
        "sip:\(token)@\(aor.domain);gr"
    }

    /// The temporary GRUU user part for an instance's registration under one
    /// Call-ID: an HMAC, so it reveals nothing of the AOR, stays stable across
    /// refreshes, and changes (invalidating the old one) with a new Call-ID.
    static func temporaryToken(aor: AddressOfRecord, instanceID: String, callID: String, key: [UInt8]) -> String {
        let message = Array("\(aor)\u{0}\(instanceID)\u{0}\(callID)".utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let k = key.isEmpty ? [0] : key
        _ = k.withUnsafeBufferPointer { kp in
            message.withUnsafeBufferPointer { mp in
                HMAC(EVP_sha256(), kp.baseAddress, Int32(key.count), mp.baseAddress, mp.count, &digest, &length)
            }
        }
        let hex = digest.prefix(16).map { b in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }
        return tempPrefix + hex.joined()
    }

    /// The instance ID without its angle brackets: the value of `gr`.
    static func urn(_ instanceID: String) -> String {
        var s = Substring(instanceID)
        if s.hasPrefix("<") { s = s.dropFirst() }
        if s.hasSuffix(">") { s = s.dropLast() }
        return String(s)
    }

    /// What a Request-URI with a `gr` parameter names.
    public enum Target: Sendable, Hashable {
        /// A public GRUU: this instance of this AOR.
        case instance(AddressOfRecord, urn: String)
        /// A temporary GRUU, by its user part.
        case temporary(token: String)
    }

    /// The GRUU target of a URI, or nil if it carries no `gr` parameter.
    public static func target(of uri: SIPURI) -> Target? {
        guard uri.scheme == .sip || uri.scheme == .sips, let gr = uri.parameters["gr"] else { return nil }
        if gr.isEmpty {
            guard let user = uri.user, user.hasPrefix(tempPrefix) else { return nil }
            return .temporary(token: user)
        }
        guard let aor = try? AddressOfRecord(uri: uri) else { return nil }
        return .instance(aor, urn: gr)
    }
}
