/// A user who may register and place calls: the digest HA1 per algorithm
/// (`H(username:realm:password)`, lowercase hex), never the password.
public struct UserRecord: Sendable, Hashable {
    public var username: String
    public var realm: String
    /// HA1 as lowercase hex, one per algorithm the user can authenticate with.
    public var ha1: [DigestAlgorithm: String]
    /// Free-form note for operators (`switchboard user list`).
    public var note: String

    public init(username: String, realm: String, ha1: [DigestAlgorithm: String], note: String = "") {
        self.username = username
        self.realm = realm
        self.ha1 = ha1
        self.note = note
    }
}

extension UserRecord {
    /// The note of a user the configuration defines (`[[auth.user]]`): how a
    /// listing tells it apart, and how a reload finds the ones it dropped.
    public static let configurationNote = "[[auth.user]] in the configuration"
}
