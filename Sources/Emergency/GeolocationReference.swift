/// The RFC 6442 headers that point an INVITE's recipient at the PIDF-LO
/// body part: `Geolocation: <cid:…>` (section 4.1) and `Geolocation-Routing`
/// (section 4.2), with the matching `Content-ID` (RFC 2392).
public struct GeolocationReference: Sendable, Hashable {
    /// The msg-id without angle brackets (`e911.3f2a@sbc.example.com`).
    public let contentID: String

    /// Builds a Content-ID from a local part (often the Call-ID) and the
    /// host; characters that RFC 5322 `dot-atom-text` does not allow are
    /// replaced with `-`, so any Call-ID can be used.
    public init(localPart: String, host: String) {
        contentID = Self.atom(localPart) + "@" + Self.atom(host)
    }

    /// `<cid:…>`, the Geolocation header value.
    public var geolocationHeader: String { "<cid:\(contentID)>" }
    /// `<…>`, the Content-ID header value of the PIDF-LO part.
    public var contentIDHeader: String { "<\(contentID)>" }
    /// `yes`: the recipient may route on the location (Bandwidth selects
    /// the PSAP from it). RFC 6442 4.2.
    public let geolocationRoutingHeader = "yes"

    static func atom(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            let ok = c.isASCII
                && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
                    || "!#$%&'*+-/=?^_`{|}~.".unicodeScalars.contains(c))
            out.unicodeScalars.append(ok ? c : "-")
        }
        while out.hasPrefix(".") { out.removeFirst() }
        while out.hasSuffix(".") { out.removeLast() }
        return out.isEmpty ? "x" : out
    }
}
