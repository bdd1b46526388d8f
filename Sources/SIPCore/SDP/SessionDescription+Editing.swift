extension SessionDescription {
    /// The session-level direction, sendrecv when none is given (RFC 3264 5.1).
    public var direction: MediaDirection { declaredDirection ?? .sendrecv }

    /// Rewrites every connection address, session and media level, to `address`:
    /// what a media relay does to an SDP it forwards. Sections that had no `c=`
    /// keep using the session-level one. The `o=` address is left alone; set
    /// ``origin`` separately if it should change too.
    public mutating func setConnectionAddress(_ address: String) {
        if connection != nil || media.contains(where: { $0.connections.isEmpty }) {
            connection = SDPConnection(address: address)
        }
        for index in media.indices where !media[index].connections.isEmpty {
            media[index].setConnectionAddress(address)
        }
    }

    /// Increments the `o=` session version, as every changed offer or answer must (RFC 3264 8).
    public mutating func incrementSessionVersion() {
        origin.sessionVersion &+= 1
    }
}
