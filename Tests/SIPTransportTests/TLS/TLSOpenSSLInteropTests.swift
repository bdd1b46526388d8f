import Testing

@testable import SIPTransport

/// The engine against OpenSSL's own command line peers (`openssl s_client`,
/// `openssl s_server`) over real loopback TCP sockets.
@Suite("TLS engine: interoperation with the openssl command line")
struct TLSOpenSSLInteropTests {
    /// Feeds socket bytes to the session and writes its output back until
    /// `done` says enough plaintext arrived, the peer closes, or 64 reads pass.
    private func drive(
        _ session: TLSSession,
        over socket: LoopbackTCPSocket,
        until done: ([UInt8]) -> Bool
    ) throws -> [UInt8] {
        var plaintext: [UInt8] = []
        for _ in 0..<64 {
            let ciphertext = try socket.read()
            if ciphertext.isEmpty { break }
            let result = try session.receive(ciphertext)
            plaintext += result.plaintext
            try socket.write(result.toSend)
            if done(plaintext) || session.isPeerClosed { break }
        }
        return plaintext
    }

    @Test("RFC 3261 26.3.1: openssl s_client verifies our server certificate and exchanges a SIP request")
    func sClientToOurServer() throws {
        let certificates = try TLSTestCertificates.get()
        let (listener, port) = try LoopbackTCPSocket.listen()
        let request = "OPTIONS sips:switchboard.test SIP/2.0\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        let client = try OpenSSLTool(arguments: [
            "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "switchboard.test",
            "-CAfile", certificates.path("ca.pem"), "-verify_return_error", "-verify_hostname", "switchboard.test",
            "-quiet",
        ])
        client.write(request)
        defer { _ = client.finish() }

        let connection = try listener.accept()
        let server = try TLSSession(context: TLSTestContexts.server(certificates), role: .server)
        let received = try drive(server, over: connection) { String(decoding: $0, as: UTF8.self).hasSuffix("\r\n\r\n") }
        #expect(String(decoding: received, as: UTF8.self) == request)
        #expect(server.negotiatedVersion == .tlsv1_3)
        #expect(server.serverName == "switchboard.test")

        let response = "SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        try connection.write(server.send(Array(response.utf8)) + server.close())
        let output = client.readOutput(until: "Content-Length: 0")
        #expect(output.contains("SIP/2.0 200 OK"))
        // s_client answers our close_notify with its own and exits cleanly.
        _ = try drive(server, over: connection) { _ in false }
        #expect(server.isPeerClosed)
        let result = client.finish()
        #expect(result.status == 0, "s_client: \(result.standardError)")
    }

    @Test("RFC 8446 4.4.2: our client presents its certificate to openssl s_server requiring one, over TLS 1.2 and 1.3")
    func ourClientToSServer() throws {
        let certificates = try TLSTestCertificates.get()
        for version in [TLSVersion.tlsv1_2, .tlsv1_3] {
            let server = try OpenSSLTool(arguments: [
                "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-rev",
                "-cert", certificates.path("server.pem"), "-key", certificates.path("server.key"),
                "-CAfile", certificates.path("ca.pem"), "-Verify", "1", "-verify_return_error",
            ])
            defer { _ = server.finish() }
            let banner = server.readOutput(until: "ACCEPT")
            let portText = banner.split(separator: "\n").first { $0.hasPrefix("ACCEPT 127.0.0.1:") }?.split(separator: ":").last
            let port = try #require(portText.flatMap { UInt16($0.trimmingCharacters(in: .whitespaces)) }, "s_server said: \(banner)")

            let connection = try LoopbackTCPSocket.connect(port: port)
            let context = try TLSTestContexts.client(certificates, clientCertificate: true, maximumVersion: version)
            let client = try TLSSession(context: context, role: .client(serverName: "switchboard.test"))
            try connection.write(client.start())
            try connection.write(client.send(Array("OPTIONS sips:switchboard.test SIP/2.0\r\n".utf8)))
            let echoed = try drive(client, over: connection) { $0.last == UInt8(ascii: "\n") }
            #expect(String(decoding: echoed, as: UTF8.self) == "0.2/PIS tset.draobhctiws:spis SNOITPO\n")
            #expect(client.negotiatedVersion == version)
            #expect(client.peerCertificateSubject == "CN=switchboard.test,O=Switchboard")
            try connection.write(client.close())
            connection.shutdownWrite()
            let result = server.finish()
            #expect(result.status == 0, "s_server: \(result.standardError)")
        }
    }

    @Test("RFC 8996: a TLS 1.1 client (openssl s_client -tls1_1) is refused")
    func tls11Refused() throws {
        let certificates = try TLSTestCertificates.get()
        let (listener, port) = try LoopbackTCPSocket.listen()
        let client = try OpenSSLTool(arguments: [
            "s_client", "-connect", "127.0.0.1:\(port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-quiet",
        ])
        defer { _ = client.finish() }
        let connection = try listener.accept()
        let hello = try connection.read()
        // A handshake record holding a ClientHello whose highest version is TLS 1.1 (0x0302).
        try #require(hello.count > 10)
        #expect(hello[0] == 0x16)
        #expect(hello[5] == 0x01)
        #expect(Array(hello[9...10]) == [0x03, 0x02])

        let server = try TLSSession(context: TLSTestContexts.server(certificates), role: .server)
        let error = #expect(throws: TLSError.self) { try server.receive(hello) }
        guard case .unsupportedVersion(let reason) = error else {
            Issue.record("expected a refused version, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("unsupported protocol"))
        // The protocol_version alert goes back, and s_client fails.
        try connection.write(server.close())
        let result = client.finish()
        #expect(result.status != 0)
        #expect(result.standardError.contains("alert protocol version"))
    }
}
