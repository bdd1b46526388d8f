import SIPCore

/// The `o=` line the relay sends on one leg (RFC 3264 5 and 8): its own
/// session id, fixed for the dialog, and a version that increases by one
/// only when the description sent differs from the last one.
public struct SDPOriginState: Sendable, Hashable {
    public let username: String
    public let sessionID: String
    public let address: String
    public private(set) var version: UInt64
    private var lastSent: [UInt8]?

    public init(sessionID: String, version: UInt64 = 1, username: String = "-", address: String) {
        self.username = username
        self.sessionID = sessionID
        self.version = version
        self.address = address
    }

    /// Puts this leg's origin into `description` and returns the bytes to send;
    /// the version moves on when anything else in the description changed.
    public mutating func stamp(_ description: inout SessionDescription) -> [UInt8] {
        description.origin = origin(version: version)
        var bytes = description.bytes
        if let lastSent, lastSent != bytes {
            version &+= 1
            description.origin = origin(version: version)
            bytes = description.bytes
        }
        lastSent = bytes
        return bytes
    }

    private func origin(version: UInt64) -> SDPOrigin {
        SDPOrigin(
            username: username, sessionID: sessionID, sessionVersion: version,
            addrType: address.contains(":") ? "IP6" : "IP4", address: address)
    }
}
