import Registrar

extension AuthSettings {
    /// One `[[auth.user]]`: a user defined in the configuration by its digest
    /// hashes (HA1 = H(username:realm:password), RFC 7616 section 3.4.2) for
    /// the `[auth]` realm, never by its password. `switchboard user hash`
    /// prints the block. A configured user takes precedence over a user of
    /// the same name added with `switchboard user add`.
    public struct User: Hashable, Sendable {
        public var username: String
        /// Lowercase hex, one per algorithm the user can answer.
        public var ha1: [DigestAlgorithm: String]

        public init(username: String, ha1: [DigestAlgorithm: String]) {
            self.username = username
            self.ha1 = ha1
        }

        /// The user with the HA1 of every algorithm for `realm`; the password is not kept.
        public init(username: String, password: String, realm: String) {
            self.init(username: username, ha1: HA1.all(username: username, realm: realm, password: password))
        }

        /// The key holding the HA1 for an algorithm: `ha1_md5`, `ha1_sha256`, `ha1_sha512_256`.
        public static func key(for algorithm: DigestAlgorithm) -> String {
            switch algorithm {
            case .md5: "ha1_md5"
            case .sha256: "ha1_sha256"
            case .sha512_256: "ha1_sha512_256"
            }
        }

        /// Hex digits of an HA1 under the algorithm.
        static func hexLength(_ algorithm: DigestAlgorithm) -> Int { algorithm == .md5 ? 32 : 64 }

        init(reading section: inout ConfigurationSection) {
            username = section.string("username", default: "")
            if !UserDirectory.isValidName(username) {
                section.report(
                    .invalid("required: a SIP user part (letters, digits and - _ . ! ~ * ' ( ) + only), got \"\(username)\""),
                    at: "username")
            }
            if section.has("password") {
                section.report(
                    .invalid("passwords are not kept in the configuration: put the HA1 hashes that `switchboard user hash` prints"),
                    at: "password")
                _ = section.string("password", default: "")
            }
            ha1 = [:]
            for algorithm in DigestAlgorithm.allCases {
                let key = Self.key(for: algorithm)
                let text = section.string(key, default: "").lowercased()
                guard section.has(key) else { continue }
                guard text.utf8.count == Self.hexLength(algorithm), text.utf8.allSatisfy({ ($0 &- 0x30) < 10 || ($0 &- 0x61) < 6 }) else {
                    section.report(.invalid("an \(algorithm.rawValue) HA1 is \(Self.hexLength(algorithm)) hex digits"), at: key)
                    continue
                }
                ha1[algorithm] = text
            }
            if ha1.isEmpty, !DigestAlgorithm.allCases.contains(where: { section.has(Self.key(for: $0)) }) {
                section.report(
                    .invalid("no HA1: give ha1_md5, ha1_sha256 and/or ha1_sha512_256 (`switchboard user hash \(username)`)"),
                    at: "username")
            }
        }

        /// The user as the registrar checks it, in `realm`.
        public func record(realm: String) -> UserRecord {
            UserRecord(username: username, realm: realm, ha1: ha1, note: UserRecord.configurationNote)
        }
    }

    /// Reads `[[auth.user]]`, reporting duplicate names.
    static func readUsers(_ section: inout ConfigurationSection) -> [User] {
        var users: [User] = []
        var seen = Set<String>()
        for var table in section.tables("user") {
            let user = User(reading: &table)
            table.rejectUnknownKeys()
            if !user.username.isEmpty, !seen.insert(user.username).inserted {
                table.report(.invalid("user \(user.username) is defined twice"), at: "username")
            }
            users.append(user)
        }
        return users
    }

    /// The `[[auth.user]]` block for a user, as `switchboard user hash` prints it.
    public static func userBlock(username: String, password: String, realm: String) -> String {
        let record = User(username: username, password: password, realm: realm)
        var lines = ["[[auth.user]]", "username = \"\(username)\""]
        for algorithm in [DigestAlgorithm.md5, .sha256, .sha512_256] {
            if let ha1 = record.ha1[algorithm] { lines.append("\(User.key(for: algorithm)) = \"\(ha1)\"") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
