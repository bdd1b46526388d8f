import Testing

@testable import Emergency

/// A reader for the body, written from RFC 2046 5.1.1 independently of the builder.
struct MultipartReader {
    struct Part {
        var headers: [String: String]
        var body: [UInt8]
    }

    static func parse(_ body: [UInt8], contentType: String) -> [Part]? {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        let boundary = String(contentType[range.upperBound...])
        let text = String(decoding: body, as: UTF8.self)
        guard text.hasPrefix("--\(boundary)\r\n"), text.hasSuffix("\r\n--\(boundary)--\r\n") else { return nil }
        let inner = text.dropFirst("--\(boundary)\r\n".count).dropLast("\r\n--\(boundary)--\r\n".count)
        return inner.components(separatedBy: "\r\n--\(boundary)\r\n").map { chunk in
            let split = chunk.range(of: "\r\n\r\n")!
            var headers: [String: String] = [:]
            for line in chunk[..<split.lowerBound].components(separatedBy: "\r\n") {
                let colon = line.firstIndex(of: ":")!
                headers[String(line[..<colon]).lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return Part(headers: headers, body: Array(chunk[split.upperBound...].utf8))
        }
    }
}

@Suite("multipart/mixed INVITE body (RFC 2046 5.1, RFC 6442 3)") struct MultipartMixedBodyTests {
    static let sdp = Array("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\n".utf8)

    static let pidf = PIDFLocationObject(
        entity: "pres:alice@pbx.example.com",
        civicAddress: CivicAddress(country: "US", state: "NY", city: "New York", street: "Broadway", houseNumber: "1600"),
        timestamp: PIDFLocationObjectTests.time)

    @Test("RFC 6442 3.1/4.1: Geolocation cid matches the PIDF part's Content-ID; parts read back exactly")
    func roundTrip() throws {
        let ref = GeolocationReference(localPart: "a84b4c76e66710@pc33", host: "sbc.example.com")
        #expect(ref.geolocationHeader == "<cid:a84b4c76e66710-pc33@sbc.example.com>")
        #expect(ref.geolocationRoutingHeader == "yes")
        let body = MultipartMixedBody(sdp: Self.sdp, pidf: Self.pidf, reference: ref)
        #expect(body.contentType.hasPrefix("multipart/mixed;boundary="))
        let parts = try #require(MultipartReader.parse(body.bytes, contentType: body.contentType))
        #expect(parts.count == 2)
        #expect(parts[0].headers["content-type"] == "application/sdp")
        #expect(parts[0].body == Self.sdp)
        #expect(parts[1].headers["content-type"] == "application/pidf+xml")
        #expect(parts[1].body == Self.pidf.bytes)
        let cid = try #require(parts[1].headers["content-id"])
        #expect("<cid:" + cid.dropFirst() == ref.geolocationHeader)
    }

    @Test("RFC 2046 5.1.1: the boundary does not occur in any part")
    func boundaryAvoidsContent() throws {
        let hostile = Array("switchboard-e911 switchboard-e911-1\r\n--switchboard-e911-2".utf8)
        let body = MultipartMixedBody(parts: [
            .init(contentType: "text/plain", body: hostile), .init(contentType: "application/sdp", body: Self.sdp),
        ])
        #expect(body.boundary == "switchboard-e911-3")
        let parts = try #require(MultipartReader.parse(body.bytes, contentType: body.contentType))
        #expect(parts.map(\.body) == [hostile, Self.sdp])
    }

    @Test("RFC 2046 5.1.1: a base with characters outside bchars is cleaned, at most 70 characters")
    func boundaryCharacters() {
        let body = MultipartMixedBody(parts: [], base: "a b;c\"" + String(repeating: "x", count: 100))
        #expect(body.boundary.hasPrefix("abc"))
        #expect(body.boundary.count <= 70)
        #expect(body.bytes == Array("--\(body.boundary)--\r\n".utf8))
    }
}
