import SIPCore

/// The state of one end of a dialog (RFC 3261 12): identifiers, sequence
/// numbers, route set and remote target. Created as UAC from a 1xx with a
/// To tag or a 2xx (12.1.2), as UAS from the request it answers (12.1.1).
public struct Dialog: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Created by a provisional response; ends with a non-2xx final.
        case early
        /// A 2xx was sent or received.
        case confirmed
    }

    public let callID: String
    public let localTag: String
    public internal(set) var remoteTag: String
    /// The local and remote addresses as header values without a tag (`"Alice" <sip:alice@example.com>`).
    public let localURI: String
    public let remoteURI: String
    /// The last CSeq number this end sent; the next request gets one more.
    public internal(set) var localCSeq: UInt32
    /// The last CSeq number received; nil until the peer sends a request.
    public internal(set) var remoteCSeq: UInt32?
    /// Route values (`<sip:proxy;lr>`) in the order requests carry them.
    public internal(set) var routeSet: [String]
    /// Where requests go: the peer's Contact.
    public internal(set) var remoteTarget: SIPURI
    /// Whether the dialog was set up over TLS with a `sips` Request-URI.
    public let secure: Bool
    public internal(set) var state: State

    public var id: DialogID { DialogID(callID: callID, localTag: localTag, remoteTag: remoteTag) }

    /// 12.1.2: the UAC's dialog from the request it sent and a 1xx (with To
    /// tag) or 2xx response: route set from the response's Record-Route in
    /// reverse order, remote target from its Contact.
    public init(uacRequest request: SIPMessage, response: SIPMessage) throws(DialogError) {
        do {
            let from = try request.from()
            guard let localTag = from.tag else { throw DialogError.malformed("request without From tag") }
            let to = try response.to()
            guard let remoteTag = to.tag else { throw DialogError.malformed("response without To tag") }
            guard let contact = try response.contacts().first else { throw DialogError.malformed("response without Contact") }
            callID = try request.callID()
            self.localTag = localTag
            self.remoteTag = remoteTag
            localURI = Self.addressWithoutTag(from)
            remoteURI = Self.addressWithoutTag(to)
            localCSeq = try request.cseq().sequence
            remoteCSeq = nil
            routeSet = try response.recordRoutes().reversed().map { "<\($0.uri)>" }
            remoteTarget = contact.uri
            secure = (try? request.requestURI().scheme) == .sips
            state = response.statusCode < 200 ? .early : .confirmed
        } catch let error as DialogError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// 12.1.1: the UAS's dialog from the request it answers with `localTag`:
    /// route set from the request's Record-Route in order, remote target
    /// from its Contact, remote sequence number from its CSeq.
    public init(uasRequest request: SIPMessage, localTag: String, secure: Bool = false) throws(DialogError) {
        do {
            let from = try request.from()
            guard let remoteTag = from.tag else { throw DialogError.malformed("request without From tag") }
            guard let contact = try request.contacts().first else { throw DialogError.malformed("request without Contact") }
            callID = try request.callID()
            self.localTag = localTag
            self.remoteTag = remoteTag
            localURI = Self.addressWithoutTag(try request.to())
            remoteURI = Self.addressWithoutTag(from)
            localCSeq = 0
            remoteCSeq = try request.cseq().sequence
            routeSet = try request.recordRoutes().map { "<\($0.uri)>" }
            remoteTarget = contact.uri
            self.secure = secure
            state = .early
        } catch let error as DialogError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// The UAS sent a 2xx: the dialog is confirmed.
    public mutating func confirm() {
        state = .confirmed
    }

    /// The UAC received a 2xx for the dialog-creating INVITE of an early
    /// dialog: confirmed, route set and remote target recomputed from the 2xx
    /// (RFC 3261 13.2.2.4, 12.1.2).
    public mutating func confirm(with response: SIPMessage) {
        state = .confirmed
        if let routes = try? response.recordRoutes() { routeSet = routes.reversed().map { "<\($0.uri)>" } }
        if let contact = (try? response.contacts())?.first { remoteTarget = contact.uri }
    }

    /// A 2xx to a target refresh request this end sent (re-INVITE, UPDATE):
    /// its Contact becomes the remote target (12.2.1.2).
    public mutating func refreshTarget(from response: SIPMessage) {
        if let contact = (try? response.contacts())?.first { remoteTarget = contact.uri }
    }

    /// A From/To value without its tag: display name, `<URI>`, other parameters.
    static func addressWithoutTag(_ address: NameAddress) -> String {
        var text = ""
        if let name = address.displayName {
            text += "\"\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\" "
        }
        text += "<\(address.uri)>"
        for parameter in address.parameters where parameter.name.lowercased() != "tag" {
            text += ";\(parameter.name)" + (parameter.value.map { "=\($0)" } ?? "")
        }
        return text
    }
}
