/// A civic address as PIDF-LO carries it (RFC 4119 2.2.1, RFC 5139 3.1,
/// element meanings from RFC 4776 3.4): the dispatchable location RAY
/// BAUM'S Act asks for is the street address plus floor, room or unit.
public struct CivicAddress: Sendable, Hashable, Codable {
    /// The civic address elements of RFC 5139, in the order its schema's
    /// `xs:sequence` requires.
    public enum Element: String, Sendable, Hashable, CaseIterable, Codable, CodingKeyRepresentable {
        /// ISO 3166-1 alpha-2 country code.
        case country
        /// National subdivision (state, province).
        case A1
        /// County, parish.
        case A2
        /// City, township.
        case A3
        /// City division, borough.
        case A4
        /// Neighbourhood.
        case A5
        /// Street (RFC 4119; RFC 5139 prefers RD).
        case A6
        /// Road pre-modifier.
        case PRM
        /// Leading street direction (`N`).
        case PRD
        /// Primary road or street name.
        case RD
        /// Street suffix (`Ave`, `Platz`).
        case STS
        /// Trailing street direction.
        case POD
        /// Road post-modifier.
        case POM
        /// Road section.
        case RDSEC
        /// Road branch.
        case RDBR
        /// Road sub-branch.
        case RDSUBBR
        /// House number, numeric part.
        case HNO
        /// House number suffix (`A`, `1/2`).
        case HNS
        /// Landmark or vanity address.
        case LMK
        /// Additional location information (`Room 543`, `North wing`).
        case LOC
        /// Floor.
        case FLR
        /// Name of the resident, business or office occupant.
        case NAM
        /// Postal code.
        case PC
        /// Building.
        case BLD
        /// Unit, apartment, suite.
        case UNIT
        /// Room.
        case ROOM
        /// Seat, desk, cubicle, workstation.
        case SEAT
        /// Place type (`office`, RFC 4589).
        case PLC
        /// Postal community name.
        case PCN
        /// Post office box.
        case POBOX
        /// Additional code.
        case ADDCODE
    }

    /// Element values; absent and empty mean the same.
    public private(set) var values: [Element: String]
    /// The language of the values (`xml:lang` on `civicAddress`, RFC 5139 3.3).
    public var language: String

    public init(_ values: [Element: String] = [:], language: String = "en-US") {
        self.values = values.filter { !$0.value.isEmpty }
        self.language = language
    }

    /// Convenience for the elements a US dispatchable location usually has.
    public init(
        country: String, state: String, city: String, street: String, houseNumber: String,
        houseNumberSuffix: String? = nil, streetSuffix: String? = nil, leadingDirection: String? = nil,
        postalCode: String? = nil, building: String? = nil, floor: String? = nil, unit: String? = nil,
        room: String? = nil, location: String? = nil, name: String? = nil, language: String = "en-US"
    ) {
        var v: [Element: String] = [
            .country: country, .A1: state, .A3: city, .RD: street, .HNO: houseNumber,
        ]
        v[.HNS] = houseNumberSuffix
        v[.STS] = streetSuffix
        v[.PRD] = leadingDirection
        v[.PC] = postalCode
        v[.BLD] = building
        v[.FLR] = floor
        v[.UNIT] = unit
        v[.ROOM] = room
        v[.LOC] = location
        v[.NAM] = name
        self.init(v, language: language)
    }

    public subscript(element: Element) -> String? {
        get { values[element] }
        set { values[element] = newValue?.isEmpty == true ? nil : newValue }
    }

    /// Present elements in schema order.
    public var orderedElements: [(element: Element, value: String)] {
        Element.allCases.compactMap { e in values[e].map { (e, $0) } }
    }

    /// The elements a PSAP needs to dispatch to the building: country,
    /// state, city, a street (RD or A6) and a house number (or a landmark).
    public var missingForDispatch: [Element] {
        var missing: [Element] = []
        for e in [Element.country, .A1, .A3] where values[e] == nil { missing.append(e) }
        if values[.RD] == nil && values[.A6] == nil { missing.append(.RD) }
        if values[.HNO] == nil && values[.LMK] == nil { missing.append(.HNO) }
        return missing
    }

    /// Whether the address says where inside the building (floor, unit,
    /// room, seat or free text), the "additional information" of RAY BAUM'S Act.
    public var hasInBuildingDetail: Bool {
        [Element.FLR, .UNIT, .ROOM, .SEAT, .LOC].contains { values[$0] != nil }
    }

    /// One line for people: notifications, CDRs, `switchboard ctl emergency`.
    public var singleLine: String {
        func join(_ parts: [String?], _ sep: String) -> String? {
            let p = parts.compactMap { $0 }.filter { !$0.isEmpty }
            return p.isEmpty ? nil : p.joined(separator: sep)
        }
        let house = join([values[.HNO], values[.HNS]], "")
        let street = join(
            [house, values[.PRD], values[.PRM], values[.RD] ?? values[.A6], values[.STS], values[.POD], values[.POM]], " ")
        let inside = join(
            [
                values[.BLD].map { "Bldg \($0)" }, values[.FLR].map { "Floor \($0)" },
                values[.UNIT].map { "Unit \($0)" }, values[.ROOM].map { "Room \($0)" },
                values[.SEAT].map { "Seat \($0)" }, values[.LOC],
            ], ", ")
        let region = join([values[.A1], values[.PC]], " ")
        return join([values[.NAM], values[.LMK], street, inside, values[.A3], region, values[.country]], ", ") ?? ""
    }
}
