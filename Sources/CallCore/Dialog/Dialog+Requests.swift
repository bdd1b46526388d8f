import SIPCore

/// A request built within a dialog and where it goes next (RFC 3261
/// 12.2.1.1): the first Route for a loose router, the Request-URI for a
/// strict one or when there is no route set. The sender adds its Via.
public struct DialogRequest: Sendable {
    public var message: SIPMessage
    public var nextHop: SIPURI
}

extension Dialog {
    /// Builds the next request of this dialog (12.2.1.1): Request-URI and
    /// Route from the route set and remote target, From/To/Call-ID of the
    /// dialog, CSeq one above the last one sent (ACK and CANCEL excepted: use
    /// `makeAck`). `contact` is required in target refresh requests (INVITE, UPDATE).
    public mutating func makeRequest(
        _ method: SIPMethod, contact: String? = nil, headers: [(String, String)] = [], body: [UInt8] = [], contentType: String? = nil
    ) throws(DialogError) -> DialogRequest {
        precondition(method != .ack && method != .cancel, "ACK and CANCEL reuse the CSeq of their INVITE")
        localCSeq += 1
        return try build(method, cseq: localCSeq, contact: contact, headers: headers, body: body, contentType: contentType)
    }

    /// The ACK for a 2xx to the INVITE with CSeq `cseq` (13.2.2.4): built
    /// like any request of the dialog, with the INVITE's CSeq number; the
    /// body carries the answer when the 2xx carried the offer.
    public func makeAck(cseq: UInt32, headers: [(String, String)] = [], body: [UInt8] = [], contentType: String? = nil) throws(DialogError)
        -> DialogRequest
    {
        try build(.ack, cseq: cseq, contact: nil, headers: headers, body: body, contentType: contentType)
    }

    private func build(
        _ method: SIPMethod, cseq: UInt32, contact: String?, headers: [(String, String)], body: [UInt8], contentType: String?
    ) throws(DialogError) -> DialogRequest {
        var requestURI = remoteTarget.description
        var routes = routeSet
        var nextHop = remoteTarget
        if let first = routeSet.first, let firstURI = try? NameAddress(first, header: .route).uri {
            if firstURI.isLooseRouter {
                nextHop = firstURI
            } else {
                // A strict router: it becomes the Request-URI, the remote target the last Route.
                requestURI = firstURI.description
                routes = Array(routeSet.dropFirst()) + ["<\(remoteTarget)>"]
                nextHop = firstURI
            }
        }
        var text = "\(method) \(requestURI) SIP/2.0\r\n"
        for route in routes { text += "Route: \(route)\r\n" }
        text += "Max-Forwards: 70\r\n"
        text += "From: \(localURI);tag=\(localTag)\r\n"
        text += "To: \(remoteURI);tag=\(remoteTag)\r\n"
        text += "Call-ID: \(callID)\r\n"
        text += "CSeq: \(cseq) \(method)\r\n"
        if let contact { text += "Contact: \(contact)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty, let contentType { text += "Content-Type: \(contentType)\r\n" }
        text += "Content-Length: \(body.count)\r\n\r\n"
        do {
            return DialogRequest(message: try SIPMessage(bytes: Array(text.utf8) + body), nextHop: nextHop)
        } catch {
            throw .malformed("built \(method) does not parse: \(error)")
        }
    }
}
