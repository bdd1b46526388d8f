/// The digest username and password Switchboard answers a carrier's
/// challenge with (RFC 3261 22.2; Vonage gives them per domain, Twilio per
/// credential list). The password never appears in a description, so a
/// logged target or request cannot leak it.
public struct CarrierCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var username: String
    public var password: String
    /// Only challenges of this realm are answered; nil answers any realm the carrier names.
    public var realm: String?

    public init(username: String, password: String, realm: String? = nil) {
        self.username = username
        self.password = password
        self.realm = realm
    }

    /// Whether a challenge of `realm` may be answered with these credentials.
    public func answers(realm challenged: String) -> Bool {
        realm.map { $0 == challenged } ?? true
    }

    public var description: String { "CarrierCredentials(username: \(username), realm: \(realm ?? "*"), password: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["username": username, "realm": realm as Any, "password": "<redacted>"]) }
}
