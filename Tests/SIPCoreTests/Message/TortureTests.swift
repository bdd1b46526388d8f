import Foundation
import Testing

@testable import SIPCore

/// One message of RFC 4475 section 3 or RFC 5118 section 4 and the verdict the RFC gives.
struct TortureCase: Decodable, CustomTestStringConvertible, Sendable {
    let file: String
    let section: String
    let title: String
    let verdict: String
    let status: Int?
    let statuses: [Int]
    let points: [String: JSONValue]

    var testDescription: String { "\(file.hasPrefix("rfc4475") ? "RFC 4475" : "RFC 5118") \(section) \(title) (\(file))" }

    static let all: [TortureCase] = {
        let url = Bundle.module.url(forResource: "Fixtures/torture-manifest", withExtension: "json")!
        return try! JSONDecoder().decode([TortureCase].self, from: Data(contentsOf: url))
    }()

    var bytes: [UInt8] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(file)")
        return [UInt8](try! Data(contentsOf: url))
    }
}

enum JSONValue: Decodable, Sendable, Equatable {
    case string(String), int(Int), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var int: Int? { if case .int(let i) = self { return i } else { return nil } }
    var strings: [String]? {
        if case .array(let a) = self { return a.compactMap(\.string) } else { return nil }
    }
}

@Suite("RFC 4475 and RFC 5118 torture messages")
struct TortureTests {
    static let uas = SIPMessage.RequestPolicy(role: .userAgentServer)
    static let proxy = SIPMessage.RequestPolicy(role: .proxy)

    @Test("the manifest lists every fixture and all 4475 section 3 and 5118 section 4 messages")
    func manifestComplete() throws {
        let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
        var files: Set<String> = []
        for sub in ["rfc4475", "rfc5118"] {
            for f in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(sub).path) {
                files.insert("\(sub)/\(f)")
            }
        }
        #expect(Set(TortureCase.all.map(\.file)) == files)
        #expect(TortureCase.all.filter { $0.file.hasPrefix("rfc4475") }.count == 49)
        #expect(TortureCase.all.filter { $0.file.hasPrefix("rfc5118") }.count == 12)
    }

    @Test("verdict", arguments: TortureCase.all)
    func verdict(_ t: TortureCase) throws {
        let bytes = t.bytes
        switch t.verdict {
        case "valid":
            let m = try SIPMessage(bytes: bytes)
            try m.validate()
            try checkPoints(t, m)
            // An untouched message serializes byte-identical (trailing datagram octets are not part of it).
            #expect(m.serialized() == Array(bytes[..<(bytes.count - m.trailingBytes)]))
            if let status = t.status, status >= 300 {
                // The RFC names the answer a core gives; one of our roles must give it.
                let answers = [Self.uas, Self.proxy].map { policy in Result { () throws(SIPParseError) in try m.check(policy) } }
                #expect(answers.contains { if case .failure(let e) = $0 { t.statuses.contains(e.status) } else { false } })
            }
        case "valid-semantic-reject":
            // Parses; validation or a core check turns it away with the status the RFC names.
            let m = try SIPMessage(bytes: bytes)
            #expect(m.serialized() == Array(bytes[..<(bytes.count - m.trailingBytes)]))
            var statuses: [Int] = []
            for policy in [Self.uas, Self.proxy] {
                do { try m.check(policy) } catch { statuses.append(error.status) }
            }
            if t.file.hasSuffix("badbranch.sip") {
                // RFC 4475 3.2.1 allows 400 or RFC 2543 matching; the bare cookie is not an RFC 3261 branch.
                #expect(try m.topVia().branch == "z9hG4bK")
                #expect(try !m.topVia().hasRFC3261Branch)
            } else {
                #expect(statuses.contains { t.statuses.contains($0) }, "got \(statuses)")
                try checkPoints(t, m, lenient: true)
            }
        case "invalid":
            do {
                let m = try SIPMessage(bytes: bytes)
                try m.validate()
                Issue.record("accepted an invalid message")
            } catch {
                if !t.statuses.isEmpty {
                    #expect(t.statuses.contains(error.status), "rejected with \(error)")
                }
                #expect(!error.reason.isEmpty)
            }
        default:
            Issue.record("unknown verdict \(t.verdict)")
        }
    }

    /// Asserts the values the RFC text points out.
    func checkPoints(_ t: TortureCase, _ m: SIPMessage, lenient: Bool = false) throws {
        let p = t.points
        if let v = p["method"]?.string { #expect(m.method.rawValue == v) }
        if let v = p["requestURI"]?.string { #expect(m.requestURIText == v) }
        if let v = p["requestURIUser"]?.string { #expect(try m.requestURI().user == v) }
        if let v = p["requestURIPassword"]?.string { #expect(try m.requestURI().password == v) }
        if let v = p["callID"]?.string, !lenient { #expect(try m.callID() == v) }
        if let v = p["cseqNumber"]?.int { #expect(try m.cseq().sequence == UInt32(v)) }
        if let v = p["cseqMethod"]?.string { #expect(try m.cseq().method.rawValue == v) }
        if let v = p["maxForwards"]?.int, !lenient { #expect(try m.maxForwards() == v) }
        if let v = p["viaCount"]?.int { #expect(m.viaCount == v) }
        if let v = p["statusCode"]?.int { #expect(m.statusCode == v) }
        if let v = p["reasonPhrase"]?.string { #expect(m.reasonPhrase == v) }
        if let v = p["bodyLength"]?.int { #expect(m.body.count == v) }
        if let v = p["trailingIgnoredBytes"]?.int { #expect(m.trailingBytes == v) }
        if lenient { return }
        if let v = p["fromTag"]?.string { #expect(try m.from().tag == v) }
        if let v = p["toTag"]?.string { #expect(try m.to().tag == v) }
        if let v = p["fromDisplayName"]?.string { #expect(try m.from().displayName == v) }
        if let v = p["toDisplayName"]?.string { #expect(try m.to().displayName == v) }
        if let v = p["toURIUser"]?.string { #expect(try m.to().uri.user == v) }
        if let v = p["fromURIUser"]?.string { #expect(try m.from().uri.user == v) }
        if let v = p["toPort"]?.int { #expect(try m.to().uri.port == UInt16(v)) }
        if let v = p["toURI"]?.string { #expect(try m.to().uri.description == v) }
        if let v = p["fromURI"]?.string { #expect(try m.from().uri.description == v) }
        if let v = p["host"]?.string {
            let uri = try m.requestURI()
            #expect((uri.hostKind == .ipv6 ? "[\(uri.host)]" : uri.host) == v)
        }
        if let v = p["port"] { #expect(try m.requestURI().port.map(Int.init) == v.int) }
        if let v = p["uriScheme"]?.string { #expect(try m.requestURI().schemeName == v.lowercased()) }
        if let v = p["branch"]?.string { #expect(try m.topVia().branch == v) }
        if let v = p["contactCount"]?.int { #expect(try m.contacts().count == v) }
        if let v = p["contactURI"]?.string { #expect(try m.contacts().first?.uri.description == v) }
        if let v = p["contactURIUser"]?.string { #expect(try m.contacts().first?.uri.user == v) }
        if let v = p["contactURIUsers"]?.strings { #expect(try m.contacts().map { $0.uri.user ?? "" } == v) }
        if let v = p["contactHeaderParams"]?.strings { #expect(try m.contacts().first?.parameters.map(\.name) == v) }
        if case .object(let o)? = p["contactParams"] {
            let params = try m.contacts().first?.parameters
            for (k, want) in o { #expect(params?[k] == (want.string ?? "")) }
        }
        if case .object(let o)? = p["contactURIParams"] {
            let params = try m.contacts().first?.uri.parameters
            // Values are unescaped exactly once: n%61me=v%61lue%25%34%31 is name = "value%41".
            for (k, want) in o { #expect(params?[k] == (want.string ?? "")) }
        }
        if let v = p["unknownHeaders"]?.strings {
            for name in v { #expect(!m.fields(named: name).isEmpty, "missing \(name)") }
        }
        if let v = p["subject"]?.string { #expect(m.values(named: "Subject") == [v]) }
        if let v = p["viaTransports"]?.strings { #expect(try m.vias().map(\.transport) == v) }
        if let v = p["viaSentBy"] {
            let sentBy = try m.vias().map(\.sentBy)
            if let one = v.string { #expect(sentBy.first == one) } else { #expect(sentBy == v.strings) }
        }
        if let v = p["viaReceived"]?.string {
            #expect(try m.topVia().received == v.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        }
        if let v = p["secondViaHost"]?.string { #expect(try m.vias()[1].host == v) }
        if let v = p["authorizationScheme"]?.string { #expect(try m.authorization().first?.scheme == v) }
        if let v = p["require"]?.strings { #expect(try Array(m.require()) == v) }
        if let v = p["proxyRequire"]?.strings { #expect(try Array(m.proxyRequire()) == v) }
        if let v = p["contentType"]?.string { #expect(try m.contentType()?.description == v) }
        if let v = p["accept"]?.string { #expect(m.values(named: "Accept") == [v]) }
        if let v = p["bodyContainsNUL"], v == .bool(true) { #expect(m.body.contains(0)) }
    }
}
