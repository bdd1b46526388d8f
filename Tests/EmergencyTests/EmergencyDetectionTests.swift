import SIPCore
import Testing

@testable import Emergency

@Suite("Emergency number detection") struct EmergencyDetectionTests {
    static let us = EmergencyNumberPlan.unitedStates
    static let usWith112 = EmergencyNumberPlan(
        country: "US", countryCallingCode: "1", emergencyNumbers: ["911", "112"], testNumbers: ["933"],
        accessPrefixes: ["9", "8"], trunkPrefixes: ["1"])

    @Test(
        "Kari's Law (47 CFR 9.16(b)(1)): 911 matches bare and behind access/long-distance prefixes",
        arguments: [
            ("911", EmergencyClassification.emergency(number: "911")),
            ("9911", .emergency(number: "911")),
            ("9-911", .emergency(number: "911")),
            ("8-911", .emergency(number: "911")),
            ("1911", .emergency(number: "911")),
            ("1-911", .emergency(number: "911")),
            ("91911", .emergency(number: "911")),
            ("+1911", .emergency(number: "911")),
            ("(911)", .emergency(number: "911")),
            (" 9 911 ", .emergency(number: "911")),
            ("933", .test(number: "933")),
            ("9933", .test(number: "933")),
            ("4911", .notEmergency),
            ("9112", .notEmergency),
            ("112", .notEmergency),
            ("9115551234", .notEmergency),
            ("+19115551234", .notEmergency),
            ("+44911", .notEmergency),
            ("911#", .notEmergency),
            ("*911", .notEmergency),
            ("", .notEmergency),
            ("alice", .notEmergency),
        ])
    func unitedStatesTable(dialled: String, expected: EmergencyClassification) {
        #expect(Self.us.classify(dialled) == expected, "\(dialled)")
    }

    @Test("configured 112 matches bare and as 9112; 4112 does not")
    func configured112() {
        #expect(Self.usWith112.classify("112") == .emergency(number: "112"))
        #expect(Self.usWith112.classify("9112") == .emergency(number: "112"))
        #expect(Self.usWith112.classify("4112") == .notEmergency)
    }

    @Test("Kari's Law: a US plan configured without 911 still matches 911")
    func usPlanAlwaysHas911() {
        let plan = EmergencyNumberPlan(country: "us", countryCallingCode: "1", emergencyNumbers: ["112"])
        #expect(plan.emergencyNumbers.first == "911")
        #expect(plan.classify("911") == .emergency(number: "911"))
    }

    @Test("other countries: 999 (GB), 000 (AU), 110 (DE) with their prefixes")
    func otherCountries() {
        #expect(EmergencyNumberPlan.unitedKingdom.classify("999") == .emergency(number: "999"))
        #expect(EmergencyNumberPlan.unitedKingdom.classify("9999") == .emergency(number: "999"))
        #expect(EmergencyNumberPlan.unitedKingdom.classify("+44999") == .emergency(number: "999"))
        #expect(EmergencyNumberPlan.unitedKingdom.classify("911") == .notEmergency)
        #expect(EmergencyNumberPlan.australia.classify("000") == .emergency(number: "000"))
        #expect(EmergencyNumberPlan.australia.classify("0000") == .emergency(number: "000"))
        #expect(EmergencyNumberPlan.germany.classify("0110") == .emergency(number: "110"))
    }

    @Test(
        "RFC 3966 3 / RFC 3261 19.1.6: tel: and sip: user parts",
        arguments: [
            ("tel:911", EmergencyClassification.emergency(number: "911")),
            ("tel:9-911;phone-context=+1", .emergency(number: "911")),
            ("sip:911@pbx.example.com", .emergency(number: "911")),
            ("sip:9911@pbx.example.com;user=phone", .emergency(number: "911")),
            ("sip:+1911@pbx.example.com;user=phone", .emergency(number: "911")),
            ("sip:911;phone-context=+1@pbx.example.com;user=phone", .emergency(number: "911")),
            ("sips:933@pbx.example.com", .test(number: "933")),
            ("sip:4911@pbx.example.com", .notEmergency),
            ("sip:alice@pbx.example.com", .notEmergency),
            ("sip:pbx.example.com", .notEmergency),
        ])
    func uris(text: String, expected: EmergencyClassification) throws {
        #expect(Self.us.classify(text) == expected, "\(text)")
        #expect(Self.us.classify(try SIPURI(text)) == expected, "\(text)")
    }

    @Test("RFC 5031 4: urn:service:sos and its sub-services are emergency calls")
    func serviceURN() throws {
        #expect(Self.us.classify("urn:service:sos") == .emergency(number: "911"))
        #expect(Self.us.classify(try SIPURI("urn:service:sos.fire")) == .emergency(number: "911"))
        #expect(Self.us.classify("urn:service:counseling") == .notEmergency)
    }

    @Test("detection before and after normalization: the stronger answer wins")
    func beforeAndAfterNormalization() {
        #expect(Self.us.classify(dialled: "9911", normalized: "+19911") == .emergency(number: "911"))
        #expect(Self.us.classify(dialled: "5550911", normalized: "+1911") == .emergency(number: "911"))
        #expect(Self.us.classify(dialled: "933", normalized: "+1911") == .emergency(number: "911"))
        #expect(Self.us.classify(dialled: "2125551234", normalized: "+12125551234") == .notEmergency)
        #expect(Self.us.classify(dialled: "933", normalized: nil) == .test(number: "933"))
    }
}
