/// `HA1 = H(username ":" realm ":" password)` (RFC 7616 section 3.4.2,
/// plain algorithms), what the user store keeps instead of the password.
public enum HA1 {
    /// One HA1, lowercase hex; the strings are hashed as UTF-8.
    public static func compute(username: String, realm: String, password: String, algorithm: DigestAlgorithm) -> String {
        algorithm.hexDigest("\(username):\(realm):\(password)")
    }

    /// HA1 for every algorithm, so the user can answer any challenge Switchboard offers.
    public static func all(username: String, realm: String, password: String) -> [DigestAlgorithm: String] {
        var out: [DigestAlgorithm: String] = [:]
        for algorithm in DigestAlgorithm.allCases {
            out[algorithm] = compute(username: username, realm: realm, password: password, algorithm: algorithm)
        }
        return out
    }
}
