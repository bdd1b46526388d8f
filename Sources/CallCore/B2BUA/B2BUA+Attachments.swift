import Emergency
import SIPCore

extension B2BUA {
    /// Puts body parts after the (relayed) session description: the body
    /// becomes multipart/mixed (RFC 2046 5.1.3), the SDP first, as RFC 6442
    /// section 4.1 shows for a location object sent by value.
    func attach(_ parts: [B2BUATarget.BodyPart], to invite: inout SIPMessage) {
        guard !parts.isEmpty else { return }
        var all: [MultipartMixedBody.Part] = []
        if !invite.body.isEmpty {
            all.append(.init(contentType: Self.contentType(invite) ?? "application/sdp", body: Array(invite.body)))
        }
        all += parts.map { .init(contentType: $0.contentType, contentID: $0.contentID, body: $0.body) }
        let multipart = MultipartMixedBody(parts: all)
        invite.setBody(multipart.bytes, contentType: multipart.contentType)
    }
}
