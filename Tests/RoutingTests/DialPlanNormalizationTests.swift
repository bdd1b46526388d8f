import SIPCore
import Testing

@testable import Routing

@Suite("Number normalization to E.164") struct DialPlanNormalizationTests {
    static let nanp = DialPlan.northAmerica(accessPrefix: "9")
    static let uk = DialPlan.unitedKingdom()

    @Test(
        "ITU-T E.164: NANP dialling forms become +1 numbers",
        arguments: [
            ("+14155550123", "14155550123"),
            ("14155550123", "14155550123"),
            ("4155550123", "14155550123"),
            ("(415) 555-0123", "14155550123"),
            ("415.555.0123", "14155550123"),
            ("1-415-555-0123", "14155550123"),
            ("+1 415 555 0123", "14155550123"),
            ("011442079460000", "442079460000"),
            ("011 44 20 7946 0000", "442079460000"),
            ("+442079460000", "442079460000"),
            ("914155550123", "14155550123"),
            ("94155550123", "14155550123"),
            ("9011442079460000", "442079460000"),
            // 919 is an area code: without the access prefix it reads as a national number.
            ("9195550123", "19195550123"),
            ("99195550123", "19195550123"),
        ])
    func northAmerica(dialled: String, expected: String) throws {
        #expect(try Self.nanp.normalize(dialled) == .e164(E164Number(digits: expected)!))
    }

    @Test(
        "ITU-T E.164: UK dialling forms become +44 numbers",
        arguments: [
            ("02079460000", "442079460000"),
            ("020 7946 0000", "442079460000"),
            ("07700900123", "447700900123"),
            ("00442079460000", "442079460000"),
            ("0014155550123", "14155550123"),
            ("+44 20 7946 0000", "442079460000"),
        ])
    func unitedKingdom(dialled: String, expected: String) throws {
        #expect(try Self.uk.normalize(dialled) == .e164(E164Number(digits: expected)!))
    }

    @Test("Kari's Law: 911 is a service code, with or without the access prefix")
    func serviceCodes() throws {
        #expect(try Self.nanp.normalize("911") == .serviceCode("911"))
        #expect(try Self.nanp.normalize("9911") == .serviceCode("911"))
        #expect(try Self.nanp.normalize("933") == .serviceCode("933"))
        #expect(try Self.uk.normalize("999") == .serviceCode("999"))
    }

    @Test(
        "RFC 3261 21.4.22: numbers of the wrong shape are 484 Address Incomplete",
        arguments: ["415555012", "24155550123", "+1415555012", "0114420", "+1234567890123456"])
    func incomplete(dialled: String) {
        #expect(throws: NumberError.self) { try Self.nanp.normalize(dialled) }
        do {
            _ = try Self.nanp.normalize(dialled)
        } catch {
            #expect(error.sipStatus == 484)
        }
    }

    @Test("Letters, stars and a second plus are not numbers (404)")
    func invalidCharacters() {
        #expect(throws: NumberError.invalidCharacter("F")) { try Self.nanp.normalize("1800FLOWERS") }
        #expect(throws: NumberError.invalidCharacter("*")) { try Self.nanp.normalize("*67") }
        #expect(throws: NumberError.invalidCharacter("+")) { try Self.nanp.normalize("1+4155550123") }
        #expect(NumberError.invalidCharacter("A").sipStatus == 404)
        #expect(throws: NumberError.empty) { try Self.nanp.normalize("--") }
    }

    @Test("RFC 3966: a global tel URI, and a local one with a global phone-context")
    func telURIs() throws {
        #expect(try Self.uk.normalize(uri: SIPURI("tel:+1-415-555-0123")) == .e164(E164Number(digits: "14155550123")!))
        #expect(
            try Self.nanp.normalize(uri: SIPURI("tel:7946-0000;phone-context=+44-20"))
                == .e164(E164Number(digits: "442079460000")!))
        #expect(try Self.nanp.normalize(uri: SIPURI("tel:4155550123")) == .e164(E164Number(digits: "14155550123")!))
    }

    @Test("RFC 3261 19.1.1: the user part of a sip URI, with user=phone and user parameters")
    func sipURIs() throws {
        let expected = DialledNumber.e164(E164Number(digits: "14155550123")!)
        #expect(try Self.nanp.normalize(uri: SIPURI("sip:+14155550123@pbx.example.com;user=phone")) == expected)
        #expect(try Self.nanp.normalize(uri: SIPURI("sip:914155550123@pbx.example.com")) == expected)
        #expect(try Self.nanp.normalize(uri: SIPURI("sip:+1-415-555-0123;isub=12@pbx.example.com;user=phone")) == expected)
        #expect(throws: NumberError.notATelephoneNumber("alice")) {
            try Self.nanp.normalize(uri: SIPURI("sip:alice@pbx.example.com"))
        }
        #expect(throws: NumberError.self) { try Self.nanp.normalize(uri: SIPURI("sip:pbx.example.com")) }
    }

    @Test("ITU-T E.164: at most 15 digits, no leading zero")
    func e164Shape() {
        #expect(E164Number(digits: "123456789012345") != nil)
        #expect(E164Number(digits: "1234567890123456") == nil)
        #expect(E164Number(digits: "0441234") == nil)
        #expect(E164Number("+14155550123")?.description == "+14155550123")
        #expect(E164Number(digits: "14a") == nil)
    }
}
