import Foundation
import Testing

@testable import Emergency

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Collects elements (namespace URI, local name, text) and attributes as XMLParser reports them.
final class XMLCollector: NSObject, XMLParserDelegate {
    struct Element {
        var namespace: String?
        var name: String
        var attributes: [String: String]
        var text = ""
    }
    var elements: [Element] = []
    private var stack: [Int] = []
    var error: Error?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(Element(namespace: namespaceURI, name: elementName, attributes: attributeDict))
        stack.append(elements.count - 1)
    }
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let top = stack.last { elements[top].text += string }
    }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }

    static func parse(_ bytes: [UInt8]) -> (ok: Bool, collector: XMLCollector) {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        let c = XMLCollector()
        parser.delegate = c
        let ok = parser.parse()
        return (ok, c)
    }

    func first(_ namespace: String, _ name: String) -> Element? {
        elements.first { $0.namespace == namespace && $0.name == name }
    }
}

@Suite("PIDF-LO (RFC 4119, RFC 5139, RFC 5491)") struct PIDFLocationObjectTests {
    typealias NS = PIDFLocationObject.Namespace
    static let time = Date(timeIntervalSince1970: 1_793_000_000)

    static func document(_ address: CivicAddress, container: PIDFLocationObject.Container = .device) -> PIDFLocationObject {
        PIDFLocationObject(
            entity: PIDFLocationObject.presenceEntity(addressOfRecord: "<sip:alice@pbx.example.com;transport=tcp>"),
            elementID: "dev1", civicAddress: address, timestamp: time, retentionExpiry: time.addingTimeInterval(86_400),
            deviceID: "mac:001a2b3c4d5e", container: container)
    }

    static let address = CivicAddress(
        country: "US", state: "NY", city: "New York", street: "Broadway", houseNumber: "1600", houseNumberSuffix: "A",
        streetSuffix: "Ave", postalCode: "10019", building: "East", floor: "3", room: "301", name: "Example Corp")

    @Test("RFC 4119 2.2 / RFC 5491 3.4: namespaces, entity, geopriv in dm:device, usage-rules, method, timestamp")
    func structure() throws {
        let (ok, x) = XMLCollector.parse(Self.document(Self.address).bytes)
        #expect(ok, "\(String(describing: x.error))")
        let presence = try #require(x.first(NS.pidf, "presence"))
        #expect(presence.attributes["entity"] == "pres:alice@pbx.example.com")
        #expect(x.first(NS.dataModel, "device")?.attributes["id"] == "dev1")
        #expect(x.first(NS.geopriv, "geopriv") != nil)
        #expect(x.first(NS.geopriv, "location-info") != nil)
        #expect(x.first(NS.geopriv, "usage-rules") != nil)
        #expect(x.first(NS.basicPolicy, "retransmission-allowed")?.text == "true")
        #expect(x.first(NS.basicPolicy, "retention-expiry")?.text == "2026-10-27T07:33:20Z")
        #expect(x.first(NS.geopriv, "method")?.text == "Manual")
        #expect(x.first(NS.dataModel, "deviceID")?.text == "mac:001a2b3c4d5e")
        #expect(x.first(NS.dataModel, "timestamp")?.text == "2026-10-26T07:33:20Z")
        #expect(NS.geopriv == "urn:ietf:params:xml:ns:pidf:geopriv10")
        #expect(NS.civicAddress == "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr")
    }

    @Test("RFC 5139 3.1: civic elements in the ca namespace, in schema order, with xml:lang")
    func civicElements() throws {
        let (ok, x) = XMLCollector.parse(Self.document(Self.address).bytes)
        #expect(ok)
        let civic = try #require(x.first(NS.civicAddress, "civicAddress"))
        #expect(civic.attributes["xml:lang"] == "en-US" || civic.attributes["lang"] == "en-US")
        let fields = x.elements.filter { $0.namespace == NS.civicAddress && $0.name != "civicAddress" }
        #expect(fields.map(\.name) == ["country", "A1", "A3", "RD", "STS", "HNO", "HNS", "FLR", "NAM", "PC", "BLD", "ROOM"])
        #expect(fields.map(\.text) == ["US", "NY", "New York", "Broadway", "Ave", "1600", "A", "3", "Example Corp", "10019", "East", "301"])
    }

    @Test("XML 1.0 2.4: & < > \" ' are escaped, control characters dropped, the text reads back exactly")
    func escaping() throws {
        var a = Self.address
        a[.NAM] = "Smith & Sons <\"Main\"> O'Neil\u{1}"
        a[.LOC] = "Suite <b>&amp;</b>"
        let doc = Self.document(a)
        #expect(doc.xml.contains("Smith &amp; Sons &lt;&quot;Main&quot;&gt; O&apos;Neil</ca:NAM>"))
        let (ok, x) = XMLCollector.parse(doc.bytes)
        #expect(ok)
        #expect(x.first(NS.civicAddress, "NAM")?.text == "Smith & Sons <\"Main\"> O'Neil")
        #expect(x.first(NS.civicAddress, "LOC")?.text == "Suite <b>&amp;</b>")
    }

    @Test("RFC 4119 2.3: tuple form puts geopriv in tuple/status with a PIDF timestamp")
    func tupleForm() throws {
        let (ok, x) = XMLCollector.parse(Self.document(Self.address, container: .tuple).bytes)
        #expect(ok)
        #expect(x.first(NS.pidf, "tuple")?.attributes["id"] == "dev1")
        #expect(x.first(NS.pidf, "status") != nil)
        #expect(x.first(NS.pidf, "timestamp")?.text == "2026-10-26T07:33:20Z")
        #expect(x.first(NS.dataModel, "device") == nil)
    }

    @Test("RFC 3859 3.1: pres: entity from sip, sips and tel AORs")
    func presenceEntity() {
        #expect(PIDFLocationObject.presenceEntity(addressOfRecord: "sips:bob@example.com") == "pres:bob@example.com")
        #expect(PIDFLocationObject.presenceEntity(addressOfRecord: "bob@example.com") == "pres:bob@example.com")
    }
}
