extension UserRecord {
    /// A record holding HA1 for every algorithm; the password itself is not kept
    /// (`switchboard user add`).
    public init(username: String, realm: String, password: String, note: String = "") {
        self.init(username: username, realm: realm, ha1: HA1.all(username: username, realm: realm, password: password), note: note)
    }

    /// `H(username ":" realm)`, what a client sends as `username` with
    /// `userhash=true` (RFC 7616 section 3.4.4); a store can index it.
    public func userhash(algorithm: DigestAlgorithm) -> String {
        algorithm.hexDigest("\(username):\(realm)")
    }
}
