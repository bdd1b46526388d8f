import Testing

@testable import SIPTransport

/// A client and a server engine wired back to back in memory: what one
/// returns for the wire is fed to the other until neither has anything to send.
struct TLSPair {
    let client: TLSSession
    let server: TLSSession
    var clientReceived: [UInt8] = []
    var serverReceived: [UInt8] = []

    init(client: TLSSession, server: TLSSession) {
        self.client = client
        self.server = server
    }

    init(clientContext: TLSContext, serverContext: TLSContext, serverName: String? = "switchboard.test") throws {
        self.init(
            client: try TLSSession(context: clientContext, role: .client(serverName: serverName)),
            server: try TLSSession(context: serverContext, role: .server)
        )
    }

    /// Client hello, then back and forth until quiet.
    mutating func handshake() throws(TLSError) {
        try pump(toServer: client.start())
    }

    /// Delivers bytes in flight and everything they provoke, at most 32 rounds.
    mutating func pump(toServer: [UInt8] = [], toClient: [UInt8] = []) throws(TLSError) {
        var toServer = toServer
        var toClient = toClient
        for _ in 0..<32 {
            if toServer.isEmpty, toClient.isEmpty { return }
            if !toServer.isEmpty {
                let result = try server.receive(toServer)
                serverReceived += result.plaintext
                toClient += result.toSend
                toServer = []
            }
            if !toClient.isEmpty {
                let result = try client.receive(toClient)
                clientReceived += result.plaintext
                toServer += result.toSend
                toClient = []
            }
        }
        Issue.record("bytes still in flight after 32 rounds")
    }
}

/// Contexts built from the generated test certificates.
enum TLSTestContexts {
    static func server(
        _ certificates: TLSTestCertificates,
        certificate: String = "server",
        clientCertificates: TLSConfiguration.ClientCertificateVerification = .none,
        minimumVersion: TLSVersion = .tlsv1_2,
        maximumVersion: TLSVersion = .tlsv1_3
    ) throws -> TLSContext {
        var configuration = TLSConfiguration.server(
            certificateChainPath: certificates.path("\(certificate).pem"),
            privateKeyPath: certificates.path("\(certificate).key"),
            trustRoots: .file(certificates.path("ca.pem")),
            clientCertificateVerification: clientCertificates
        )
        configuration.minimumVersion = minimumVersion
        configuration.maximumVersion = maximumVersion
        return try TLSContext(configuration: configuration)
    }

    static func client(
        _ certificates: TLSTestCertificates,
        clientCertificate: Bool = false,
        verifyPeer: Bool = true,
        maximumVersion: TLSVersion = .tlsv1_3
    ) throws -> TLSContext {
        var configuration = TLSConfiguration.client(
            trustRoots: .file(certificates.path("ca.pem")),
            certificateChainPath: clientCertificate ? certificates.path("client.pem") : nil,
            privateKeyPath: clientCertificate ? certificates.path("client.key") : nil
        )
        configuration.verifyPeer = verifyPeer
        configuration.maximumVersion = maximumVersion
        return try TLSContext(configuration: configuration)
    }
}

/// An INVITE as a SIP phone sends it over TLS (RFC 3261 24.2, sips: URIs per 26.2.2).
let sampleInvite = Array(
    """
    INVITE sips:bob@switchboard.test SIP/2.0\r
    Via: SIP/2.0/TLS pc33.atlanta.example.com:5061;branch=z9hG4bK776asdhds\r
    Max-Forwards: 70\r
    To: Bob <sips:bob@switchboard.test>\r
    From: Alice <sips:alice@atlanta.example.com>;tag=1928301774\r
    Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r
    CSeq: 314159 INVITE\r
    Contact: <sips:alice@pc33.atlanta.example.com;transport=tls>\r
    Content-Type: application/sdp\r
    Content-Length: 149\r
    \r
    v=0\r
    o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r
    s=-\r
    c=IN IP4 192.0.2.101\r
    t=0 0\r
    m=audio 49172 RTP/AVP 0\r
    a=rtpmap:0 PCMU/8000\r

    """.utf8)
