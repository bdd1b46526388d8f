extension MediaDescription {
    /// The stream's direction: its own attribute, else the session's, else sendrecv (RFC 3264 5.1).
    public func direction(in session: SessionDescription) -> MediaDirection {
        declaredDirection ?? session.declaredDirection ?? .sendrecv
    }

    /// True when the sender of this SDP puts the stream on hold: `sendonly` or
    /// `inactive` (RFC 3264 8.4), or the RFC 2543 form with `c=0.0.0.0`.
    public func isHold(in session: SessionDescription) -> Bool {
        let direction = direction(in: session)
        if direction == .sendonly || direction == .inactive { return true }
        return effectiveConnection(in: session).map { $0.address == "0.0.0.0" } ?? false
    }

    /// Points the stream's own `c=` lines at `address` (adding one if it had none),
    /// e.g. the relay address a B2BUA substitutes.
    public mutating func setConnectionAddress(_ address: String) {
        connections = [SDPConnection(address: address)]
    }

    /// Removes formats and their `rtpmap`, `fmtp` and `rtcp-fb` lines; returns how many
    /// formats were removed. Removing every format leaves an m= line that must not be sent:
    /// reject the stream (port 0) with one format instead (RFC 3264 6).
    @discardableResult
    public mutating func removeFormats(where shouldRemove: (String) -> Bool) -> Int {
        let removed = formats.filter(shouldRemove)
        guard !removed.isEmpty else { return 0 }
        formats.removeAll(where: shouldRemove)
        attributes.removeAll { attribute in
            guard attribute.name == "rtpmap" || attribute.name == "fmtp" || attribute.name == "rtcp-fb",
                let value = attribute.value
            else { return false }
            let format = value.drop(while: { $0 == " " }).prefix(while: { $0 != " " })
            return removed.contains { $0 == format }
        }
        return removed.count
    }

    @discardableResult
    public mutating func removeFormats(_ formatsToRemove: some Sequence<String>) -> Int {
        let set = Set(formatsToRemove)
        return removeFormats { set.contains($0) }
    }

    /// Keeps only the listed formats (in their current order), dropping the rest with their attributes.
    @discardableResult
    public mutating func keepFormats(_ formatsToKeep: some Sequence<String>) -> Int {
        let set = Set(formatsToKeep)
        return removeFormats { !set.contains($0) }
    }

    /// The codec for a payload type: its `a=rtpmap`, else the RFC 3551 static assignment.
    public func codec(for payloadType: UInt8) -> RTPMap? {
        rtpMap(for: payloadType) ?? RTPMap.staticPayloadType(payloadType)
    }
}
