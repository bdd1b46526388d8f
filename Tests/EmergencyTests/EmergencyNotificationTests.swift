import Routing
import Foundation
import Testing

@testable import Emergency

@Suite("Kari's Law notification (47 CFR 9.16(b)(2))") struct EmergencyNotificationTests {
    static func notification(test: Bool = false, located: Bool = true) throws -> EmergencyNotification {
        let caller = EmergencyCaller(user: "alice", addressOfRecord: "sip:alice@pbx", displayName: "Alice Smith")
        let location = EmergencyLocation(
            name: "hq",
            civicAddress: CivicAddress(
                country: "US", state: "NY", city: "New York", street: "Broadway", houseNumber: "1600", floor: "3", room: "301"))
        let resolution = LocationResolution(
            location: located ? location : nil, source: located ? .user : .none, callbackNumber: nil,
            gaps: located ? [] : [.noLocation])
        return EmergencyNotification(
            callID: "abc@pbx", caller: caller, dialled: test ? "933" : "9911",
            classification: test ? .test(number: "933") : .emergency(number: "911"), resolution: resolution,
            callbackNumber: try E164Number(validating: "+12125550101"), time: PIDFLocationObjectTests.time)
    }

    @Test("JSON: sorted keys, ISO 8601 time, caller, callback, location, call id")
    func json() throws {
        let bytes = try Self.notification().json()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text == """
                {"callID":"abc@pbx","callbackNumber":"+12125550101","caller":"Alice Smith <alice>","dialled":"9911",\
                "isTest":false,"location":"1600 Broadway, Floor 3, Room 301, New York, NY, US","locationGaps":[],\
                "locationSource":"user","time":"2026-10-26T07:33:20Z"}
                """)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["callbackNumber"] as? String == "+12125550101")
    }

    @Test("JSON: no location is null and the gap is listed")
    func jsonWithoutLocation() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(try Self.notification(located: false).json())) as? [String: Any])
        #expect(object["location"] is NSNull)
        #expect(object["locationGaps"] as? [String] == ["no location"])
    }

    @Test("RFC 3428: MESSAGE text for the front desk, CRLF lines, test calls marked")
    func messageText() throws {
        let text = try Self.notification().messageText
        #expect(text.hasPrefix("EMERGENCY CALL 9911\r\nFrom: Alice Smith <alice>\r\nCallback: +12125550101\r\n"))
        #expect(text.contains("Location: 1600 Broadway, Floor 3, Room 301, New York, NY, US\r\n"))
        #expect(text.hasSuffix("Time: 2026-10-26T07:33:20Z\r\nCall-ID: abc@pbx\r\n"))
        #expect(try Self.notification(test: true, located: false).messageText.contains("TEST 933"))
        #expect(try Self.notification(located: false).messageText.contains("Location: UNKNOWN\r\nLocation gaps: no location\r\n"))
    }
}
