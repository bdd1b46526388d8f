/// A `multipart/mixed` body (RFC 2046 5.1.1, as SIP uses it in RFC 5621):
/// the SDP and the PIDF-LO of an emergency INVITE travel together this way.
public struct MultipartMixedBody: Sendable, Hashable {
    /// One body part: its MIME headers and its bytes.
    public struct Part: Sendable, Hashable {
        public var headers: [HeaderLine]
        public var body: [UInt8]

        public init(headers: [HeaderLine], body: [UInt8]) {
            self.headers = headers
            self.body = body
        }

        public init(contentType: String, contentID: String? = nil, body: [UInt8]) {
            var h = [HeaderLine(name: "Content-Type", value: contentType)]
            if let contentID { h.append(HeaderLine(name: "Content-ID", value: contentID)) }
            self.init(headers: h, body: body)
        }
    }

    public struct HeaderLine: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The delimiter, chosen so it occurs in no part.
    public let boundary: String
    /// The encoded body.
    public let bytes: [UInt8]

    /// `multipart/mixed;boundary=…`, the Content-Type header value.
    public var contentType: String { "multipart/mixed;boundary=\(boundary)" }

    /// Encodes `parts`. The boundary starts as `base` (RFC 2046 `bchars`,
    /// at most 70 characters) and gets a counter until neither the boundary
    /// nor a header of any part contains it.
    public init(parts: [Part], base: String = "switchboard-e911") {
        let cleanBase = String(Self.bchars(base).prefix(60))
        var candidate = cleanBase
        var n = 0
        while parts.contains(where: { Self.occurs(candidate, in: $0) }) {
            n += 1
            candidate = "\(cleanBase)-\(n)"
        }
        boundary = candidate

        var out: [UInt8] = []
        for part in parts {
            out += Array("--\(boundary)\r\n".utf8)
            for h in part.headers { out += Array("\(h.name): \(h.value)\r\n".utf8) }
            out += Array("\r\n".utf8)
            out += part.body
            // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
            out += Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        bytes = out
    }

    /// The SDP offer plus the PIDF-LO as the `application/pidf+xml` part the
    /// Geolocation header points at (RFC 6442 3.1).
    public init(sdp: [UInt8], pidf: PIDFLocationObject, reference: GeolocationReference) {
        self.init(parts: [
            Part(contentType: "application/sdp", body: sdp),
            Part(contentType: "application/pidf+xml", contentID: reference.contentIDHeader, body: pidf.bytes),
        ])
    }

    static func occurs(_ boundary: String, in part: Part) -> Bool {
        let needle = Array(boundary.utf8)
        if contains(part.body, needle) { return true }
        return part.headers.contains { contains(Array("\($0.name): \($0.value)".utf8), needle) }
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, hay.count >= needle.count else { return false }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if hay[i..<i + needle.count].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Keeps characters that are safe unquoted in a parameter value and in
    /// RFC 2046 `bcharsnospace`.
    static func bchars(_ s: String) -> String {
        let kept = s.unicodeScalars.filter {
            $0.isASCII && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "'+_-.".unicodeScalars.contains($0))
        }
        let out = String(String.UnicodeScalarView(kept))
        return out.isEmpty ? "boundary" : out
    }
}
