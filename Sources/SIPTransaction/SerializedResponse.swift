import SIPCore

/// A response in wire form with what a server transaction reads of it: its
/// status, and the To tag an INVITE's ACK is matched by (RFC 3261 17.2.3).
/// Serializing where the response is made keeps that work off the shard
/// that sends it.
public struct SerializedResponse: Sendable {
    public let status: Int
    public let bytes: [UInt8]
    public let toTag: String?

    /// `response`, which must be a response, serialized now. The To tag is
    /// read only for a final response to an INVITE (`invite`), the one case
    /// that needs it, so other responses parse nothing more.
    public init(_ response: SIPMessage, invite: Bool) {
        precondition(!response.isRequest, "a request is not a response")
        self.status = response.statusCode
        self.bytes = response.serialized()
        self.toTag = invite && response.statusCode >= 200 ? (try? response.to().tag) ?? nil : nil
    }
}
