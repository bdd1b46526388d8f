import Testing

@testable import Routing

@Suite("Per-carrier number format and caller ID") struct NumberFormatTests {
    let us = E164Number(digits: "14155550123")!
    let uk = E164Number(digits: "442079460000")!

    @Test("Twilio and Bandwidth want +E.164, Vonage E.164 without +")
    func carrierFormats() {
        #expect(us.formatted(CarrierProfile.twilio(trunk: "acme").numberFormat) == "+14155550123")
        #expect(us.formatted(CarrierProfile.bandwidth(primary: "a.example").numberFormat) == "+14155550123")
        #expect(us.formatted(CarrierProfile.vonage(domain: "acme", username: "u", password: "p").numberFormat) == "14155550123")
    }

    @Test("National format: 10-digit NANP, 11-digit with trunk prefix, foreign numbers behind 011 or +")
    func national() {
        let tenDigit = NumberFormat.national(.init(countryCode: "1"))
        let elevenDigit = NumberFormat.national(.init(countryCode: "1", trunkPrefix: "1", internationalPrefix: "011"))
        #expect(us.formatted(tenDigit) == "4155550123")
        #expect(us.formatted(elevenDigit) == "14155550123")
        #expect(uk.formatted(tenDigit) == "+442079460000")
        #expect(uk.formatted(elevenDigit) == "011442079460000")
        #expect(uk.formatted(.national(.init(countryCode: "44", trunkPrefix: "0"))) == "02079460000")
    }

    @Test("Twilio rule: only owned or verified numbers pass as caller ID, others become the default")
    func callerID() throws {
        let owned = E164Number(digits: "14155550100")!
        let fallback = E164Number(digits: "14155550199")!
        let policy = CallerIDPolicy(ownedNumbers: [owned], defaultNumber: fallback)
        let passed = try policy.identity(presenting: owned)
        #expect(passed.number == owned && !passed.substituted && passed.sendsAssertedIdentity && passed.privacyHeader == nil)
        let replaced = try policy.identity(presenting: us)
        #expect(replaced.number == fallback && replaced.substituted)
        #expect(try policy.identity(presenting: nil).number == fallback)
        let strict = CallerIDPolicy(ownedNumbers: [owned])
        #expect(throws: CallerIDError.notOwned(us)) { try strict.identity(presenting: us) }
        #expect(CallerIDError.notOwned(us).sipStatus == 403)
    }

    @Test("RFC 3325 7 / RFC 3323 4.1.1.3: Privacy id keeps PAI only towards a trusted carrier, From anonymous")
    func privacy() throws {
        let owned = E164Number(digits: "14155550100")!
        let request = PrivacyRequest(headerValue: "id; critical")
        #expect(request.id && request.critical && !request.user)
        let trusted = try CallerIDPolicy(ownedNumbers: [owned], carrierIsTrusted: true).identity(presenting: owned, privacy: request)
        #expect(trusted.sendsAssertedIdentity && trusted.anonymousFrom && trusted.privacyHeader == "id;critical")
        let untrusted = try CallerIDPolicy(ownedNumbers: [owned], carrierIsTrusted: false)
            .identity(presenting: owned, privacy: PrivacyRequest(headerValue: "id"))
        #expect(!untrusted.sendsAssertedIdentity && untrusted.anonymousFrom && untrusted.privacyHeader == nil)
        let open = try CallerIDPolicy(ownedNumbers: [owned], carrierIsTrusted: false).identity(presenting: owned)
        #expect(open.sendsAssertedIdentity && !open.anonymousFrom)
        #expect(PrivacyRequest(headerValue: "none") == .none)
    }
}
