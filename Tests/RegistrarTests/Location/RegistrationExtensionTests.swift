import SIPCore
import Testing
@testable import Registrar

private typealias R = RegisterRequests

private let instance = "\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\""

@Suite("REGISTER with Path, outbound and GRUU") struct RegistrationExtensionTests {
    @Test("RFC 3327 5.3: Path values are stored with the binding and echoed when the UA supports path")
    func pathEchoed() throws {
        let m = R.make(
            contacts: ["<sip:a@10.0.0.5>"], vias: 2,
            extra: ["Path: <sip:edge2.example.com;lr>", "Path: <sip:edge1.example.com;lr>", "Supported: path"])
        let r = try R.process(m)
        #expect(r.bindings.first?.path == ["<sip:edge2.example.com;lr>", "<sip:edge1.example.com;lr>"])
        #expect(r.reply.path == ["<sip:edge2.example.com;lr>", "<sip:edge1.example.com;lr>"])
        #expect(r.reply.headerFields.filter { $0.name == "Path" }.map(\.value) == r.reply.path)
    }

    @Test("RFC 3327 5.3: without Supported: path the 200 carries no Path, but the binding keeps it")
    func pathNotEchoed() throws {
        let r = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>"], vias: 2, extra: ["Path: <sip:edge.example.com;lr>"]))
        #expect(r.reply.path.isEmpty)
        #expect(r.bindings.first?.path == ["<sip:edge.example.com;lr>"])
    }

    @Test("RFC 5626 6: first hop, instance and reg-id with Supported: outbound — flow binding and Require: outbound")
    func outboundFirstHop() throws {
        let r = try R.process(
            R.make(contacts: ["<sip:a@10.0.0.5;transport=tcp>;+sip.instance=\(instance);reg-id=1"], extra: ["Supported: outbound"]))
        #expect(r.usedOutbound)
        #expect(r.reply.require == ["outbound"])
        let b = try #require(r.bindings.first)
        #expect(b.regID == 1)
        #expect(b.instanceID == "<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>")
        #expect(b.source.flowToken == 7)
        #expect(r.reply.contacts.first?.contains(";reg-id=1;expires=3600") == true)
    }

    @Test("RFC 5626 6: the same instance and reg-id replaces the flow binding even with a new Contact URI")
    func outboundReplacement() throws {
        let first = try R.process(
            R.make(callID: "x", contacts: ["<sip:a@10.0.0.5:1111;transport=tcp>;+sip.instance=\(instance);reg-id=1"], extra: ["Supported: outbound"]))
        let second = try R.process(
            R.make(callID: "y", contacts: ["<sip:a@10.0.0.5:2222;transport=tcp>;+sip.instance=\(instance);reg-id=1"], extra: ["Supported: outbound"]),
            current: first.bindings)
        #expect(second.bindings.count == 1)
        #expect(second.bindings.first?.contactURI.description == "sip:a@10.0.0.5:2222;transport=tcp")
        let third = try R.process(
            R.make(callID: "z", contacts: ["<sip:a@10.0.0.5:3333;transport=tcp>;+sip.instance=\(instance);reg-id=2"], extra: ["Supported: outbound"]),
            current: second.bindings)
        #expect(third.bindings.compactMap(\.regID).sorted() == [1, 2])
    }

    @Test("RFC 5626 6: not the first hop and no ob in the first Path URI, with Supported: outbound → 439")
    func firstHopLacksOutbound() {
        let m = R.make(
            contacts: ["<sip:a@10.0.0.5>;+sip.instance=\(instance);reg-id=1"], vias: 2,
            extra: ["Path: <sip:edge.example.com;lr>", "Supported: outbound, path"])
        let e = R.rejection(m)
        #expect(e == .firstHopLacksOutboundSupport)
        #expect(e?.status == 439)
    }

    @Test("RFC 5626 6: an edge proxy whose Path URI carries ob makes outbound apply")
    func edgeWithOb() throws {
        let m = R.make(
            contacts: ["<sip:a@10.0.0.5>;+sip.instance=\(instance);reg-id=1"], vias: 2,
            extra: ["Path: <sip:edge.example.com;lr;ob>", "Supported: outbound, path"])
        let r = try R.process(m)
        #expect(r.usedOutbound)
        #expect(r.reply.path == ["<sip:edge.example.com;lr;ob>"])
    }

    @Test("RFC 5626 6: reg-id is ignored without Supported: outbound, or without +sip.instance")
    func regIDIgnored() throws {
        let noSupport = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>;+sip.instance=\(instance);reg-id=1"]))
        #expect(!noSupport.usedOutbound)
        #expect(noSupport.bindings.first?.regID == nil)
        #expect(noSupport.reply.require.isEmpty)
        let noInstance = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>;reg-id=1"], extra: ["Supported: outbound"]))
        #expect(!noInstance.usedOutbound)
    }

    @Test("RFC 5626 6: a reg-id registration with more than one Contact gets 400")
    func outboundOneContact() {
        let m = R.make(
            contacts: ["<sip:a@10.0.0.5>;+sip.instance=\(instance);reg-id=1", "<sip:b@10.0.0.5>"], extra: ["Supported: outbound"])
        #expect(R.rejection(m)?.status == 400)
    }

    @Test("RFC 5626 6: a registrar whose policy requires outbound answers 421 with Require: outbound")
    func outboundRequired() {
        var s = R.settings
        s.requireOutbound = true
        let e = R.rejection(R.make(contacts: ["<sip:a@10.0.0.5>"]), settings: s)
        #expect(e == .extensionRequired(["outbound"]))
        #expect(e?.status == 421)
        #expect(e?.headerFields.first?.value == "outbound")
    }

    @Test("RFC 5627 5.4: Supported: gruu and +sip.instance get pub-gruu and temp-gruu in the 200")
    func gruuIssued() throws {
        let r = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>;+sip.instance=\(instance)"], extra: ["Supported: gruu"]))
        let c = try #require(r.reply.contacts.first)
        #expect(c.contains(";pub-gruu=\"sip:alice@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""))
        let token = try #require(r.bindings.first?.tempGRUU)
        #expect(token.hasPrefix("tgruu."))
        #expect(c.contains(";temp-gruu=\"sip:\(token)@example.com;gr\""))
        #expect(!token.contains("alice"))
    }

    @Test("RFC 5627 5.4: no GRUU without Supported: gruu or without an instance")
    func gruuNotIssued() throws {
        let noSupport = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>;+sip.instance=\(instance)"]))
        #expect(noSupport.reply.contacts.first?.contains("gruu") == false)
        let noInstance = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>"], extra: ["Supported: gruu"]))
        #expect(noInstance.reply.contacts.first?.contains("gruu") == false)
    }

    @Test("RFC 5627 3.2: the temp-gruu stays across refreshes and changes with a new Call-ID")
    func tempGRUULifetime() throws {
        let contact = "<sip:a@10.0.0.5>;+sip.instance=\(instance)"
        let first = try R.process(R.make(callID: "c1", cseq: 1, contacts: [contact], extra: ["Supported: gruu"]))
        let refresh = try R.process(R.make(callID: "c1", cseq: 2, contacts: [contact], extra: ["Supported: gruu"]), current: first.bindings)
        let renewed = try R.process(R.make(callID: "c2", cseq: 1, contacts: [contact], extra: ["Supported: gruu"]), current: refresh.bindings)
        #expect(first.bindings[0].tempGRUU == refresh.bindings[0].tempGRUU)
        #expect(renewed.bindings[0].tempGRUU != refresh.bindings[0].tempGRUU)
    }
}
