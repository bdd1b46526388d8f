#if canImport(Glibc)
import Glibc
#endif
import SIPCore
import Testing

@testable import SIPTransport

/// A codec that obscures every byte and greets first: enough to show that
/// the connection passes wire bytes through its transform both ways and
/// sends what `start()` returns, as the TLS engine will.
struct ObscuringTransform: StreamTransform {
    static let greeting: [UInt8] = Array("HELLO\n".utf8)
    var role: StreamContext.Role
    var greeted = false

    mutating func start() -> [UInt8] { role == .initiated ? Self.greeting : [] }

    mutating func inbound(_ bytes: [UInt8]) throws(StreamTransformError) -> StreamTransformOutput {
        var wire = bytes[...]
        var reply: [UInt8] = []
        if role == .accepted, !greeted {
            guard wire.starts(with: Self.greeting) else { throw StreamTransformError(reason: "no greeting") }
            wire = wire.dropFirst(Self.greeting.count)
            greeted = true
            reply = Array("WELCOME\n".utf8)
        } else if role == .initiated, !greeted, wire.starts(with: Array("WELCOME\n".utf8)) {
            wire = wire.dropFirst(8)
            greeted = true
        }
        return StreamTransformOutput(plaintext: wire.map { $0 ^ 0x5A }, toSend: reply)
    }

    mutating func outbound(_ plaintext: [UInt8]) -> [UInt8] { plaintext.map { $0 ^ 0x5A } }
    mutating func close() -> [UInt8] { [] }
}

@Suite("Stream transform hook")
struct StreamTransformTests {
    @Test("The TLS slot: a transform installed for .tls carries messages both ways between two layers")
    func transformBetweenLayers() throws {
        let factory: StreamTransformFactory = { ctx in ObscuringTransform(role: ctx.role) }
        let aInbox = Inbox()
        let bInbox = Inbox()
        let a = SIPTransportLayer(listeners: [], configuration: quietConfiguration())
        a.setStreamTransform(factory, for: .tls)
        aInbox.attach(a)
        try a.start()
        defer { a.stop() }
        let b = SIPTransportLayer(
            listeners: [ListenAddress(transport: .tls, address: address("127.0.0.1"))], configuration: quietConfiguration())
        b.setStreamTransform(factory, for: .tls)
        bInbox.attach(b)
        try b.start()
        defer { b.stop() }

        let target = OutboundTarget(transport: .tls, address: b.bound(.tls), serverName: "proxy.example.com")
        a.send(Array(request(sentBy: "127.0.0.1:5061", transport: "TLS", callID: "tls-1").utf8), to: target)
        #expect(bInbox.wait(messages: 1))
        let got = try #require(bInbox.received.first)
        #expect(got.transport == .tls)
        #expect(try got.message.callID() == "tls-1")
        let back = try #require(OutboundTarget.response(toVia: try got.message.topVia(), arrivedOver: .tls, connection: got.connection))
        b.send(got.message.makeResponse(status: 200, reason: "OK").serialized(), to: back)
        #expect(aInbox.wait(messages: 1))
        #expect(aInbox.received.first?.message.statusCode == 200)
        #expect(aInbox.received.first?.transport == .tls)
    }

    @Test("A transform error closes the connection")
    func transformErrorCloses() throws {
        let inbox = Inbox()
        let layer = SIPTransportLayer(
            listeners: [ListenAddress(transport: .tls, address: address("127.0.0.1"))], configuration: quietConfiguration())
        layer.setStreamTransform({ ctx in ObscuringTransform(role: ctx.role) }, for: .tls)
        inbox.attach(layer)
        try layer.start()
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tls))
        #expect(peer.write("OPTIONS sip:x SIP/2.0\r\n"))
        #expect(peer.readToEnd().closed)
        #expect(inbox.received.isEmpty)
    }
}
