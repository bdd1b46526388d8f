import Registrar
import SIPCore

/// Switchboard's answer to one carrier challenge (RFC 3261 22.2, RFC 7616
/// 3.4 client side): the realm, nonce and algorithm it answers with, and
/// the Authorization or Proxy-Authorization value built from them.
struct DigestAuthorization: Sendable, Equatable {
    var realm: String
    var nonce: String
    var opaque: String?
    var algorithm: DigestAlgorithm
    /// qop=auth with cnonce and nc; false for a challenge offering no qop (RFC 2069).
    var qop: Bool

    /// One answer per realm challenged: the strongest algorithm Switchboard
    /// supports among that realm's challenges (RFC 8760 2.4), qop absent or
    /// offering `auth`, realms the credentials may answer only. Empty when
    /// nothing can be answered.
    static func choose(_ challenges: [AuthenticationParameters], credentials: CarrierCredentials) -> [DigestAuthorization] {
        var best: [String: DigestAuthorization] = [:]
        var realms: [String] = []
        for challenge in challenges where challenge.isDigest {
            guard let realm = challenge.realm, let nonce = challenge.nonce, credentials.answers(realm: realm),
                let algorithm = DigestAlgorithm(token: challenge.algorithm ?? "MD5")
            else { continue }
            let qops = challenge.qop.map { $0.lowercased() }
            guard qops.isEmpty || qops.contains("auth") else { continue }
            let candidate = DigestAuthorization(realm: realm, nonce: nonce, opaque: challenge.opaque, algorithm: algorithm, qop: !qops.isEmpty)
            if let current = best[realm] {
                if rank(algorithm) < rank(current.algorithm) { best[realm] = candidate }
            } else {
                best[realm] = candidate
                realms.append(realm)
            }
        }
        return realms.compactMap { best[$0] }
    }

    /// Position in `DigestAlgorithm.allCases`, strongest first.
    static func rank(_ algorithm: DigestAlgorithm) -> Int {
        DigestAlgorithm.allCases.firstIndex(of: algorithm) ?? .max
    }

    /// The credentials value for `method` to `uri` (the Request-URI), with
    /// nonce count `nc` and client nonce `cnonce` when qop is used.
    func headerValue(username: String, password: String, method: String, uri: String, nc: UInt32, cnonce: String) -> String {
        let ha1 = HA1.compute(username: username, realm: realm, password: password, algorithm: algorithm)
        let count = Self.nonceCount(nc)
        let response = DigestResponse.compute(
            ha1: ha1, algorithm: algorithm, method: method, uri: uri, nonce: nonce, qop: qop ? (count, cnonce) : nil)
        var value = "Digest username=\(Self.quoted(username)), realm=\(Self.quoted(realm)), nonce=\(Self.quoted(nonce))"
        value += ", uri=\(Self.quoted(uri)), response=\"\(response)\", algorithm=\(algorithm.rawValue)"
        if qop { value += ", cnonce=\(Self.quoted(cnonce)), qop=auth, nc=\(count)" }
        if let opaque { value += ", opaque=\(Self.quoted(opaque))" }
        return value
    }

    /// `nc`: eight lowercase hex digits (RFC 7616 3.4).
    static func nonceCount(_ nc: UInt32) -> String {
        let text = String(nc, radix: 16)
        return String(repeating: "0", count: max(0, 8 - text.count)) + text
    }

    /// A quoted string, `"` and `\` escaped (RFC 3261 25.1).
    static func quoted(_ value: String) -> String {
        var out = "\""
        for c in value.unicodeScalars {
            if c == "\"" || c == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }
}
