/// One `m=` section (RFC 8866 5.14) with its `i=`, `c=`, `b=`, `k=` and `a=` lines.
public struct MediaDescription: Sendable, Hashable {
    /// `audio`, `video`, `text`, `application`, `image`, `message` or any other token.
    public var mediaType: String { didSet { verbatim = .init() } }
    /// 0 rejects or disables the stream (RFC 3264 6).
    public var port: UInt16 { didSet { verbatim = .init() } }
    /// The `/n` after the port, when present.
    public var portCount: UInt16? { didSet { verbatim = .init() } }
    /// Transport protocol, e.g. `RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`, `udptl`.
    public var proto: String { didSet { verbatim = .init() } }
    /// Media formats: RTP payload type numbers for RTP protocols, tokens otherwise.
    public var formats: [String] { didSet { verbatim = .init() } }
    /// `i=`
    public var information: String?
    /// `c=` lines of this section; empty when the session-level one applies.
    public var connections: [SDPConnection]
    public var bandwidths: [SDPBandwidth]
    /// The value of the obsolete `k=` line, uninterpreted.
    public var encryptionKey: String?
    /// Media-level `a=` lines, in order.
    public var attributes: [SDPAttribute]

    var verbatim = SDPVerbatimLine()

    public init(
        mediaType: String, port: UInt16, portCount: UInt16? = nil, proto: String,
        formats: [String], connections: [SDPConnection] = [], attributes: [SDPAttribute] = []
    ) {
        self.mediaType = mediaType
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.information = nil
        self.connections = connections
        self.bandwidths = []
        self.encryptionKey = nil
        self.attributes = attributes
    }

    /// True when formats are RTP payload types (`RTP/AVP`, `RTP/SAVPF`, `UDP/TLS/RTP/SAVP`...).
    public var isRTP: Bool { Self.isRTP(proto: proto.utf8) }

    /// True for SRTP profiles (`RTP/SAVP`, `RTP/SAVPF` and their DTLS forms).
    public var isSecureRTP: Bool { isRTP && proto.contains("SAVP") }

    /// True when the keys come from DTLS (RFC 5763) rather than `a=crypto`.
    public var usesDTLS: Bool { proto.hasPrefix("UDP/TLS/") || proto.hasPrefix("TCP/DTLS/") || proto.hasPrefix("TCP/TLS/") }

    /// Formats as payload type numbers, skipping any that are not numeric.
    public var payloadTypes: [UInt8] {
        formats.compactMap { SDPBytes.decimal(Substring($0), as: UInt8.self) }
    }

    /// The connection this stream uses: its own first `c=`, else the session's (RFC 8866 5.7).
    public func effectiveConnection(in session: SessionDescription) -> SDPConnection? {
        connections.first ?? session.connection
    }

    /// Any protocol with an `RTP` component: `RTP/AVP`, `UDP/TLS/RTP/SAVPF`, `TCP/RTP/AVP`.
    static func isRTP(proto: some Collection<UInt8>) -> Bool {
        var length = 0
        var matches = true
        for byte in proto {
            if byte == SDPBytes.slash {
                if matches, length == 3 { return true }
                length = 0
                matches = true
                continue
            }
            switch length {
            case 0: matches = matches && byte == 0x52  // R
            case 1: matches = matches && byte == 0x54  // T
            case 2: matches = matches && byte == 0x50  // P
            default: matches = false
            }
            length += 1
        }
        return matches && length == 3
    }

    func renderMediaLine(into output: inout [UInt8]) {
        if let bytes = verbatim.bytes {
            output.append(contentsOf: bytes)
            return
        }
        output.append(contentsOf: "m=".utf8)
        SDPBytes.append(mediaType, to: &output)
        output.append(SDPBytes.space)
        SDPBytes.append(decimal: port, to: &output)
        if let portCount {
            output.append(SDPBytes.slash)
            SDPBytes.append(decimal: portCount, to: &output)
        }
        output.append(SDPBytes.space)
        SDPBytes.append(proto, to: &output)
        for format in formats {
            output.append(SDPBytes.space)
            SDPBytes.append(format, to: &output)
        }
    }
}
