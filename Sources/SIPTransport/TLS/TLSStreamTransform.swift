/// SIP over TLS for a TCP connection: the `StreamTransform` that runs a
/// `TLSSession` between the socket and the SIP framer.
///
/// Accepted connections play the server; connections Switchboard opens play
/// the client and send `StreamContext.serverName` as SNI and as the name the
/// peer's certificate must carry (RFC 5922). Each transform keeps the context
/// it was made from, so a certificate reload reaches new connections only.
public struct TLSStreamTransform: StreamTransform {
    private let session: TLSSession

    /// A transform for one connection, made from `context`.
    public init(context: TLSContext, for stream: StreamContext) throws(StreamTransformError) {
        let role: TLSSession.Role =
            switch stream.role {
            case .accepted: .server
            case .initiated: .client(serverName: stream.serverName)
            }
        do {
            session = try TLSSession(context: context, role: role)
        } catch {
            throw Self.streamError(error)
        }
    }

    /// A factory for `SIPTransportLayer.setStreamTransform(_:for:)` that makes
    /// every new connection's transform from `context`.
    public static func factory(_ context: TLSContext) -> StreamTransformFactory {
        { stream throws(StreamTransformError) in try TLSStreamTransform(context: context, for: stream) }
    }

    public mutating func start() throws(StreamTransformError) -> [UInt8] {
        session.start()
    }

    public mutating func inbound(_ bytes: [UInt8]) throws(StreamTransformError) -> StreamTransformOutput {
        do {
            let received = try session.receive(bytes)
            var toSend = received.toSend
            // The peer's close_notify is answered with ours (RFC 8446 6.1).
            if session.isPeerClosed { toSend += session.close() }
            return StreamTransformOutput(plaintext: received.plaintext, toSend: toSend)
        } catch {
            throw Self.streamError(error)
        }
    }

    public mutating func outbound(_ plaintext: [UInt8]) throws(StreamTransformError) -> [UInt8] {
        do {
            return try session.send(plaintext)
        } catch {
            throw Self.streamError(error)
        }
    }

    public mutating func close() -> [UInt8] {
        session.close()
    }

    public var isEstablished: Bool { session.isHandshakeComplete }

    /// The TLS failure in words, for the connection's log line and `TransportFailure`.
    static func streamError(_ error: TLSError) -> StreamTransformError {
        StreamTransformError(reason: error.description)
    }
}
