#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A PIDF-LO document (RFC 4119, civic form RFC 5139, profile RFC 5491)
/// carrying one civic address for the emergency caller.
public struct PIDFLocationObject: Sendable, Hashable {
    public enum Namespace {
        public static let pidf = "urn:ietf:params:xml:ns:pidf"
        public static let geopriv = "urn:ietf:params:xml:ns:pidf:geopriv10"
        public static let civicAddress = "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"
        public static let basicPolicy = "urn:ietf:params:xml:ns:pidf:geopriv10:basicPolicy"
        public static let dataModel = "urn:ietf:params:xml:ns:pidf:data-model"
    }

    /// Where the `gp:geopriv` element sits (RFC 5491 3.2).
    public enum Container: String, Sendable, Hashable, Codable {
        /// `dm:device`, RFC 5491's choice for the location of a device.
        case device
        /// `tuple/status`, the RFC 4119 form some older receivers expect.
        case tuple
    }

    /// The presentity (`pres:alice@pbx.example.com`).
    public var entity: String
    /// `id` of the `dm:device` or `tuple` element (an XML ID: letter first).
    public var elementID: String
    public var civicAddress: CivicAddress
    /// How the location was obtained (IANA method token, RFC 4119 2.2.3):
    /// `Manual` for addresses an administrator provisioned.
    public var method: String
    /// When the location was determined, passed in by the caller.
    public var timestamp: Date
    /// `gbp:retransmission-allowed` (RFC 4119 2.2.2, errata 1535/1771): true
    /// so the E911 provider may hand the location on to the PSAP.
    public var retransmissionAllowed: Bool
    /// `gbp:retention-expiry`.
    public var retentionExpiry: Date?
    /// `dm:deviceID` (RFC 5491 3.4), e.g. `mac:001a2b3c4d5e`.
    public var deviceID: String?
    public var container: Container

    public init(
        entity: String, elementID: String = "e911", civicAddress: CivicAddress, method: String = "Manual",
        timestamp: Date, retransmissionAllowed: Bool = true, retentionExpiry: Date? = nil,
        deviceID: String? = nil, container: Container = .device
    ) {
        self.entity = entity
        self.elementID = elementID
        self.civicAddress = civicAddress
        self.method = method
        self.timestamp = timestamp
        self.retransmissionAllowed = retransmissionAllowed
        self.retentionExpiry = retentionExpiry
        self.deviceID = deviceID
        self.container = container
    }

    /// `pres:` + an AOR without its scheme and parameters (RFC 3859 3.1):
    /// `sip:alice@pbx.example.com;transport=tcp` → `pres:alice@pbx.example.com`.
    public static func presenceEntity(addressOfRecord aor: String) -> String {
        var s = Substring(aor)
        if s.first == "<", s.last == ">" { s = s.dropFirst().dropLast() }
        if let colon = s.firstIndex(of: ":"), ["sip", "sips", "tel", "pres"].contains(s[..<colon].lowercased()) {
            s = s[s.index(after: colon)...]
        }
        if let semi = s.firstIndex(of: ";") { s = s[..<semi] }
        return "pres:" + s
    }

    /// The document text, UTF-8, elements in RFC 5139 schema order.
    public var xml: String {
        let x = XMLText.escape
        var geo = "<gp:geopriv>"
        geo += "<gp:location-info>"
        geo += "<ca:civicAddress xml:lang=\"\(x(civicAddress.language))\">"
        for (element, value) in civicAddress.orderedElements {
            geo += "<ca:\(element.rawValue)>\(x(value))</ca:\(element.rawValue)>"
        }
        geo += "</ca:civicAddress>"
        geo += "</gp:location-info>"
        geo += "<gp:usage-rules>"
        geo += "<gbp:retransmission-allowed>\(retransmissionAllowed)</gbp:retransmission-allowed>"
        if let retentionExpiry {
            geo += "<gbp:retention-expiry>\(Self.dateTime(retentionExpiry))</gbp:retention-expiry>"
        }
        geo += "</gp:usage-rules>"
        geo += "<gp:method>\(x(method))</gp:method>"
        geo += "</gp:geopriv>"

        var doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        doc += "<presence xmlns=\"\(Namespace.pidf)\" xmlns:gp=\"\(Namespace.geopriv)\""
        doc += " xmlns:ca=\"\(Namespace.civicAddress)\" xmlns:gbp=\"\(Namespace.basicPolicy)\""
        doc += " xmlns:dm=\"\(Namespace.dataModel)\" entity=\"\(x(entity))\">"
        let stamp = Self.dateTime(timestamp)
        switch container {
        case .device:
            doc += "<dm:device id=\"\(x(elementID))\">" + geo
            if let deviceID { doc += "<dm:deviceID>\(x(deviceID))</dm:deviceID>" }
            doc += "<dm:timestamp>\(stamp)</dm:timestamp></dm:device>"
        case .tuple:
            doc += "<tuple id=\"\(x(elementID))\"><status>" + geo + "</status>"
            doc += "<timestamp>\(stamp)</timestamp></tuple>"
        }
        doc += "</presence>\n"
        return doc
    }

    /// The document as body bytes.
    public var bytes: [UInt8] { Array(xml.utf8) }

    /// `xs:dateTime` in UTC (`2026-11-05T14:03:07Z`).
    static func dateTime(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
