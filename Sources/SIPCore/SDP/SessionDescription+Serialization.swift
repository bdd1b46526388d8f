extension SessionDescription: CustomStringConvertible {
    /// The description in RFC 8866 order (v o s i u e p c b t r z k a, then each
    /// m with i c b k a), CRLF after every line. Unedited parsed lines are
    /// copied byte for byte.
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output)
        return output
    }

    public var description: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the serialized description to `output` (e.g. a SIP message being assembled).
    public func write(into output: inout [UInt8]) {
        output.reserveCapacity(output.count + 512 + 512 * media.count)
        output.append(contentsOf: "v=".utf8)
        SDPBytes.append(decimal: version, to: &output)
        Self.endLine(&output)
        origin.render(into: &output)
        Self.endLine(&output)
        Self.text("s=", sessionName, into: &output)
        if let information { Self.text("i=", information, into: &output) }
        if let uri { Self.text("u=", uri, into: &output) }
        for email in emails { Self.text("e=", email, into: &output) }
        for phone in phones { Self.text("p=", phone, into: &output) }
        if let connection {
            connection.render(into: &output)
            Self.endLine(&output)
        }
        for bandwidth in bandwidths {
            bandwidth.render(into: &output)
            Self.endLine(&output)
        }
        for timing in timings {
            timing.render(into: &output)
            Self.endLine(&output)
        }
        if let timeZones { Self.text("z=", timeZones, into: &output) }
        if let encryptionKey { Self.text("k=", encryptionKey, into: &output) }
        for attribute in attributes {
            attribute.render(into: &output)
            Self.endLine(&output)
        }
        for section in media {
            section.write(into: &output)
        }
    }

    @inline(__always)
    static func endLine(_ output: inout [UInt8]) {
        output.append(0x0D)
        output.append(0x0A)
    }

    static func text(_ prefix: StaticString, _ value: String, into output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        SDPBytes.append(value, to: &output)
        endLine(&output)
    }
}

extension MediaDescription {
    /// Appends this media section (m i c b k a) with CRLF line ends.
    public func write(into output: inout [UInt8]) {
        renderMediaLine(into: &output)
        SessionDescription.endLine(&output)
        if let information { SessionDescription.text("i=", information, into: &output) }
        for connection in connections {
            connection.render(into: &output)
            SessionDescription.endLine(&output)
        }
        for bandwidth in bandwidths {
            bandwidth.render(into: &output)
            SessionDescription.endLine(&output)
        }
        if let encryptionKey { SessionDescription.text("k=", encryptionKey, into: &output) }
        for attribute in attributes {
            attribute.render(into: &output)
            SessionDescription.endLine(&output)
        }
    }
}
