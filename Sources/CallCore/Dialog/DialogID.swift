import SIPCore

/// What identifies a dialog at one end (RFC 3261 12): the Call-ID and the
/// local and remote tags, as that end sees them.
public struct DialogID: Hashable, Sendable, CustomStringConvertible {
    public var callID: String
    public var localTag: String
    public var remoteTag: String

    public init(callID: String, localTag: String, remoteTag: String) {
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = remoteTag
    }

    /// The dialog a received request belongs to (12.2.2): the To tag is ours,
    /// the From tag the peer's; nil without a To tag (out of dialog).
    public init?(receivedRequest request: SIPMessage) {
        guard let callID = try? request.callID(), let to = try? request.to(), let local = to.tag,
            let remote = (try? request.from())?.tag
        else { return nil }
        self.init(callID: callID, localTag: local, remoteTag: remote)
    }

    /// The dialog a received response belongs to (12.1.2): the From tag is
    /// ours, the To tag the peer's; nil without a To tag.
    public init?(receivedResponse response: SIPMessage) {
        guard let callID = try? response.callID(), let from = try? response.from(), let local = from.tag,
            let remote = (try? response.to())?.tag
        else { return nil }
        self.init(callID: callID, localTag: local, remoteTag: remote)
    }

    public var description: String { "\(callID);local=\(localTag);remote=\(remoteTag)" }
}
