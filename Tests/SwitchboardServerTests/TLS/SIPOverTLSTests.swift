import Dispatch
import Foundation
import Logging
import SIPCore
import SIPTransport
import Synchronization
import Testing
@testable import SwitchboardServer

/// Collects what a transport layer delivers, for waiting on with a bound.
final class MessageInbox: Sendable {
    private let messages = Mutex<[InboundMessage]>([])
    private let signal = DispatchSemaphore(value: 0)

    /// Receives on `layer`; requests are answered 200 OK when `answer` is set (a UAS).
    func attach(_ layer: SIPTransportLayer, answeringRequests answer: Bool = false) {
        layer.onMessage = { [self, weak layer] inbound in
            messages.withLock { $0.append(inbound) }
            if answer, inbound.message.isRequest, let layer, let via = try? inbound.message.topVia(),
                let target = OutboundTarget.response(toVia: via, arrivedOver: inbound.transport, connection: inbound.connection)
            {
                layer.send(inbound.message.makeResponse(status: 200, reason: "OK", toTag: "uas").serialized(), to: target)
            }
            signal.signal()
        }
    }

    var received: [InboundMessage] { messages.withLock { $0 } }

    /// Waits until `count` messages arrived; false after a generous bound.
    func wait(messages count: Int) -> Bool {
        let end = DispatchTime.now() + 20
        while received.count < count {
            if signal.wait(timeout: end) == .timedOut { return received.count >= count }
        }
        return true
    }
}

@Suite("SIP over TLS through the running service")
struct SIPOverTLSTests {
    /// A started UDP peer that answers every request 200, a started service
    /// routing everything to it, and a TLS client trusting the test CA.
    struct Fixture {
        let peer: SIPTransportLayer
        let peerInbox = MessageInbox()
        let service: SIPService
        let client: SIPTransportLayer
        let clientInbox = MessageInbox()
        let configuration: Configuration
        let logLines: LockedValue<[String]>

        init(certificate: String, privateKey: String, certificates: TestCertificates) throws {
            var quiet = TransportConfiguration()
            quiet.logger.logLevel = .error
            peer = SIPTransportLayer(
                listeners: [SIPTransport.ListenAddress(transport: .udp, address: SocketAddress(ip: "127.0.0.1", port: 0)!)],
                configuration: quiet)
            peerInbox.attach(peer, answeringRequests: true)
            try peer.start()
            let peerPort = peer.boundAddresses.values.first!.port

            configuration = try ConfigurationLoader().decode(
                """
                [server]
                shards = 2
                [sip]
                listen = ["tls://127.0.0.1:0", "udp://127.0.0.1:0"]
                [sip.tls]
                certificate = "\(certificate)"
                private_key = "\(privateKey)"
                ca_file = "\(certificates.path("ca.pem"))"
                [[proxy.route]]
                domain = "*"
                to = ["sip:127.0.0.1:\(peerPort)"]
                """, file: "tls.toml")
            let lines = LockedValue<[String]>([])
            logLines = lines
            let output = LogOutput { line in lines.withLock { $0.append(line) } }
            service = SIPService(
                configuration: configuration,
                logger: Logger(label: "switchboard") { SwitchboardLogHandler(label: $0, output: output) })
            try service.start()

            client = SIPTransportLayer(listeners: [], configuration: quiet)
            let trust = try TLSContext(configuration: .client(trustRoots: .file(certificates.path("ca.pem"))))
            client.setStreamTransform(TLSStreamTransform.factory(trust), for: .tls)
            clientInbox.attach(client)
            try client.start()
        }

        func stop() {
            client.stop()
            service.stop()
            peer.stop()
        }

        var tlsAddress: SocketAddress {
            service.transport.boundAddresses.first { $0.key.transport == .tls }!.value
        }

        /// Sends an OPTIONS for a remote domain to the service over TLS, verifying its certificate names switchboard.test.
        func sendOptions(callID: String) {
            let text =
                "OPTIONS sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-\(callID);rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "From: <sip:alice@example.net>;tag=a1\r\n"
                + "Call-ID: \(callID)\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n"
            client.send(Array(text.utf8), to: OutboundTarget(transport: .tls, address: tlsAddress, serverName: "switchboard.test"))
        }

        /// The subject of the certificate a new TLS connection to the service is shown, as `openssl s_client` prints it.
        func certificateSubject(certificates: TestCertificates) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = [
                "s_client", "-connect", "127.0.0.1:\(tlsAddress.port)", "-servername", "switchboard.test",
                "-CAfile", certificates.path("ca.pem"), "-verify_return_error",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: killer)
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            killer.cancel()
            return text.split(separator: "\n").first { $0.hasPrefix("subject=") }.map(String.init) ?? "no certificate in: \(text)"
        }
    }

    @Test("RFC 3261 26.2, RFC 5922: an OPTIONS over TLS is proxied to a UDP peer and its 200 comes back over TLS")
    func optionsOverTLS() throws {
        let certificates = try TestCertificates.get()
        let fixture = try Fixture(
            certificate: certificates.path("server.pem"), privateKey: certificates.path("server.key"), certificates: certificates)
        defer { fixture.stop() }

        fixture.sendOptions(callID: "tls-options-1")

        #expect(fixture.peerInbox.wait(messages: 1))
        let forwarded = try #require(fixture.peerInbox.received.first)
        #expect(forwarded.transport == .udp)
        #expect(try forwarded.message.callID() == "tls-options-1")
        #expect(fixture.clientInbox.wait(messages: 1))
        let answer = try #require(fixture.clientInbox.received.first)
        #expect(answer.message.statusCode == 200)
        #expect(answer.transport == .tls)
        #expect(fixture.service.status().forwarded == 1)
    }

    @Test("reload: new connections get the new certificate, an open connection keeps its own and keeps working")
    func certificateReload() throws {
        let certificates = try TestCertificates.get()
        let directory = try certificates.copy(["server.pem", "server.key"])
        let fixture = try Fixture(
            certificate: directory + "/server.pem", privateKey: directory + "/server.key", certificates: certificates)
        defer { fixture.stop() }
        fixture.sendOptions(callID: "tls-reload-1")
        #expect(fixture.clientInbox.wait(messages: 1))
        #expect(try fixture.certificateSubject(certificates: certificates).hasPrefix("subject=O = Switchboard, CN = switchboard.test"))

        for name in ["pem", "key"] {
            try FileManager.default.removeItem(atPath: directory + "/server.\(name)")
            try FileManager.default.copyItem(atPath: certificates.path("server-renewed.\(name)"), toPath: directory + "/server.\(name)")
        }
        fixture.service.apply(fixture.configuration)
        #expect(try fixture.certificateSubject(certificates: certificates).hasPrefix("subject=O = Switchboard Renewed, CN = switchboard.test"))

        // The client's connection opened before the reload carries the next request.
        fixture.sendOptions(callID: "tls-reload-2")
        #expect(fixture.clientInbox.wait(messages: 2))
        #expect(fixture.clientInbox.received.last?.message.statusCode == 200)
        #expect(fixture.client.statistics.connectionsInitiated == 1)

        // A certificate that does not load leaves the renewed one in use.
        try "not a certificate\n".write(toFile: directory + "/server.pem", atomically: true, encoding: .utf8)
        fixture.service.apply(fixture.configuration)
        #expect(try fixture.certificateSubject(certificates: certificates).hasPrefix("subject=O = Switchboard Renewed, CN = switchboard.test"))
        #expect(fixture.logLines.current.contains { $0.contains("TLS certificate reload failed") && $0.contains(directory + "/server.pem") })
    }
}
