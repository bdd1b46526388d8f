import Routing
import Testing

@testable import Emergency

@Suite("Location resolution (RAY BAUM'S Act dispatchable location)") struct LocationResolutionTests {
    static func location(_ name: String, floor: String? = "3", callback: String? = nil) throws -> EmergencyLocation {
        EmergencyLocation(
            name: name,
            civicAddress: CivicAddress(
                country: "US", state: "NY", city: "New York", street: "Broadway", houseNumber: "1600",
                postalCode: "10019", floor: floor),
            callbackNumber: try callback.map { try E164Number(validating: $0) })
    }

    static func directory() throws -> EmergencyLocationDirectory {
        EmergencyLocationDirectory(
            byDevice: [try DeviceKey.mac("00:1A:2B:3C:4D:5E"): try location("desk-mac", callback: "+12125550101")],
            byUser: ["alice": try location("alice-home", callback: "+12125550102")],
            byNetwork: [
                (try IPNetwork("10.0.0.0/8"), try location("campus")),
                (try IPNetwork("10.20.0.0/16"), try location("building-20")),
                (try IPNetwork("2001:db8:1::/48"), try location("v6-building")),
            ],
            defaultLocation: try location("headquarters", callback: "+12125550100"))
    }

    @Test("RAY BAUM'S Act: device assignment beats user, network and default")
    func deviceFirst() throws {
        let caller = EmergencyCaller(
            user: "alice", addressOfRecord: "sip:alice@pbx.example.com",
            devices: [.instance("<urn:uuid:00000000-0000-0000-0000-000000000001>"), try .mac("001a.2b3c.4d5e")],
            sourceAddress: "10.20.1.5")
        let r = try Self.directory().resolve(caller)
        #expect(r.source == .device)
        #expect(r.location?.name == "desk-mac")
        #expect(r.callbackNumber?.description == "+12125550101")
        #expect(r.isComplete)
    }

    @Test("user assignment beats network and default")
    func userSecond() throws {
        let caller = EmergencyCaller(user: "alice", addressOfRecord: "sip:alice@pbx", sourceAddress: "10.20.1.5")
        let r = try Self.directory().resolve(caller)
        #expect(r.source == .user)
        #expect(r.location?.name == "alice-home")
    }

    @Test("network assignment: longest prefix, IPv4, IPv4-mapped and IPv6")
    func networkLongestPrefix() throws {
        let d = try Self.directory()
        func at(_ ip: String) -> LocationResolution {
            d.resolve(EmergencyCaller(user: "bob", addressOfRecord: "sip:bob@pbx", sourceAddress: ip))
        }
        #expect(at("10.20.1.5").location?.name == "building-20")
        #expect(at("::ffff:10.20.1.5").location?.name == "building-20")
        #expect(at("10.21.1.5").location?.name == "campus")
        #expect(at("[2001:db8:1:2::5]").source == .network)
        #expect(at("2001:db8:2::5").source == .default)
        #expect(at("192.0.2.1").source == .default)
    }

    @Test("a network location without a callback number takes the caller's own DID")
    func callbackFromCaller() throws {
        let caller = EmergencyCaller(
            user: "bob", addressOfRecord: "sip:bob@pbx", sourceAddress: "10.20.1.5", number: try E164Number(validating: "+12125550199"))
        #expect(try Self.directory().resolve(caller).callbackNumber?.description == "+12125550199")
        let noDID = EmergencyCaller(user: "bob", addressOfRecord: "sip:bob@pbx", sourceAddress: "10.20.1.5")
        #expect(try Self.directory().resolve(noDID).callbackNumber?.description == "+12125550100")
    }

    @Test("no location still resolves, reporting every gap")
    func noLocation() throws {
        let empty = EmergencyLocationDirectory()
        let r = empty.resolve(EmergencyCaller(user: "carol", addressOfRecord: "sip:carol@pbx", sourceAddress: "not-an-ip"))
        #expect(r.location == nil)
        #expect(r.source == .none)
        #expect(r.gaps == [.unparsableSourceAddress("not-an-ip"), .noLocation, .noCallbackNumber])
    }

    @Test("RAY BAUM'S Act: missing street or floor is reported, the call still resolves")
    func incompleteAddress() throws {
        let partial = EmergencyLocation(name: "half", civicAddress: CivicAddress([.country: "US", .A1: "NY"]))
        let d = EmergencyLocationDirectory(defaultLocation: partial)
        let r = d.resolve(EmergencyCaller(user: "x", addressOfRecord: "sip:x@pbx", number: try E164Number(validating: "+12125550100")))
        #expect(r.source == .default)
        #expect(r.gaps == [.notDispatchable(missing: [.A3, .RD, .HNO]), .noInBuildingDetail])
    }

    @Test("CIDR parsing rejects bad prefixes and normalizes host bits")
    func cidr() throws {
        #expect(try IPNetwork("10.20.30.40/16").description == "10.20.0.0/16")
        #expect(try IPNetwork("192.0.2.7").prefixLength == 32)
        #expect(try IPNetwork("2001:db8::1/32").contains(IPAddress("2001:db8:ffff::1")))
        #expect(try !IPNetwork("10.0.0.0/8").contains(IPAddress("2001:db8::1")))
        #expect(try IPNetwork("0.0.0.0/0").contains(IPAddress("203.0.113.9")))
        #expect(throws: EmergencyConfigurationError.invalidNetwork("10.0.0.0/33")) { try IPNetwork("10.0.0.0/33") }
        #expect(throws: EmergencyConfigurationError.invalidNetwork("10.0.0/8")) { try IPNetwork("10.0.0/8") }
        #expect(throws: EmergencyConfigurationError.invalidNetwork("::/129")) { try IPNetwork("::/129") }
    }

    @Test("MAC addresses in any spelling are one key; junk is rejected")
    func macKeys() throws {
        #expect(try DeviceKey.mac("00-1A-2B-3C-4D-5E") == DeviceKey.mac("001a2b3c4d5e"))
        #expect(throws: EmergencyConfigurationError.self) { try DeviceKey.mac("00:1A:2B") }
        #expect(DeviceKey.instance("\"<urn:uuid:ABC>\"") == DeviceKey.instance("urn:uuid:abc"))
    }
}
