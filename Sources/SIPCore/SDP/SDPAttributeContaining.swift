/// A level of an SDP that carries `a=` lines: the session or one media section.
///
/// Typed accessors read only this level; combine levels with
/// ``MediaDescription/direction(in:)`` and similar where RFC 8866 defines a
/// session-level default.
public protocol SDPAttributeContaining {
    var attributes: [SDPAttribute] { get set }
}

extension SessionDescription: SDPAttributeContaining {}
extension MediaDescription: SDPAttributeContaining {}

extension SDPAttributeContaining {
    /// The first attribute named `name` (attribute names are case-sensitive, RFC 8866 5.13).
    public func attribute(named name: String) -> SDPAttribute? {
        attributes.first { $0.name == name }
    }

    public func attributes(named name: String) -> [SDPAttribute] {
        attributes.filter { $0.name == name }
    }

    public func hasAttribute(named name: String) -> Bool {
        attributes.contains { $0.name == name }
    }

    /// Values of the attributes named `name` (property attributes give no value).
    public func values(ofAttribute name: String) -> [String] {
        attributes.compactMap { $0.name == name ? $0.value : nil }
    }

    /// Well-formed `a=rtpmap` lines, in order; malformed ones are skipped here but kept in ``attributes``.
    public var rtpMaps: [RTPMap] {
        attributes.compactMap { $0.name == "rtpmap" ? $0.value.flatMap(RTPMap.init(attributeValue:)) : nil }
    }

    public func rtpMap(for payloadType: UInt8) -> RTPMap? {
        rtpMaps.first { $0.payloadType == payloadType }
    }

    /// The `a=fmtp` for a format, e.g. `fmtp(forFormat: "111")`.
    public func fmtp(forFormat format: String) -> SDPFormatParameters? {
        for attribute in attributes where attribute.name == "fmtp" {
            if let value = attribute.value, let parameters = SDPFormatParameters(attributeValue: value),
                parameters.format == format
            {
                return parameters
            }
        }
        return nil
    }

    public func fmtp(for payloadType: UInt8) -> SDPFormatParameters? {
        fmtp(forFormat: String(payloadType))
    }

    /// Well-formed `a=crypto` lines (RFC 4568), in order of preference.
    public var cryptos: [SDESCrypto] {
        attributes.compactMap { $0.name == "crypto" ? $0.value.flatMap(SDESCrypto.init(attributeValue:)) : nil }
    }

    /// The direction attribute at this level, if any (the last one wins if a peer sends several).
    public var declaredDirection: MediaDirection? {
        attributes.last { $0.value == nil && MediaDirection(rawValue: $0.name) != nil }
            .flatMap { MediaDirection(rawValue: $0.name) }
    }

    /// `a=ptime` in milliseconds (fraction dropped).
    public var ptime: Int? { milliseconds(ofAttribute: "ptime") }

    /// `a=maxptime` in milliseconds (fraction dropped).
    public var maxPtime: Int? { milliseconds(ofAttribute: "maxptime") }

    /// `a=rtcp` (RFC 3605).
    public var rtcp: SDPRTCPAttribute? {
        attribute(named: "rtcp")?.value.flatMap(SDPRTCPAttribute.init(attributeValue:))
    }

    /// `a=rtcp-mux` (RFC 5761).
    public var isRTCPMuxed: Bool { hasAttribute(named: "rtcp-mux") }

    /// `a=mid` (RFC 5888).
    public var mid: String? { attribute(named: "mid")?.value }

    private func milliseconds(ofAttribute name: String) -> Int? {
        guard let value = attribute(named: name)?.value else { return nil }
        let digits = value.drop(while: { $0 == " " }).prefix(while: { $0 != "." && $0 != " " })
        return SDPBytes.decimal(digits, as: UInt32.self).map(Int.init)
    }
}

extension SDPAttributeContaining {
    /// Sets the single attribute named `name`: replaces the first one in place,
    /// removes any others, or appends when there was none.
    public mutating func setAttribute(_ name: String, value: String? = nil) {
        let replacement = SDPAttribute(name: name, value: value)
        guard let first = attributes.firstIndex(where: { $0.name == name }) else {
            attributes.append(replacement)
            return
        }
        attributes[first] = replacement
        var index = attributes.index(after: first)
        while index < attributes.endIndex {
            if attributes[index].name == name {
                attributes.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Replaces every attribute named `name` with `replacements`, at the position of the first one
    /// (appended when there was none).
    public mutating func replaceAttributes(named name: String, with replacements: [SDPAttribute]) {
        let position = attributes.firstIndex { $0.name == name } ?? attributes.endIndex
        let before = attributes[..<position].count
        attributes.removeAll { $0.name == name }
        attributes.insert(contentsOf: replacements, at: before)
    }

    public mutating func removeAttributes(named name: String) {
        attributes.removeAll { $0.name == name }
    }

    public mutating func removeAttributes(where predicate: (SDPAttribute) -> Bool) {
        attributes.removeAll(where: predicate)
    }

    /// Sets the direction attribute at this level, replacing any there was (in place).
    public mutating func setDirection(_ direction: MediaDirection) {
        let replacement = SDPAttribute(name: direction.rawValue)
        let isDirection: (SDPAttribute) -> Bool = { $0.value == nil && MediaDirection(rawValue: $0.name) != nil }
        if let first = attributes.firstIndex(where: isDirection) {
            attributes[first] = replacement
            let tail = attributes[(first + 1)...].filter { !isDirection($0) }
            attributes.replaceSubrange((first + 1)..., with: tail)
        } else {
            attributes.append(replacement)
        }
    }

    /// Adds an `a=crypto` line after the existing ones (or at the end).
    public mutating func addCrypto(_ crypto: SDESCrypto) {
        let position = attributes.lastIndex { $0.name == "crypto" }.map { $0 + 1 } ?? attributes.endIndex
        attributes.insert(crypto.attribute, at: position)
    }

    public mutating func removeCryptos() {
        removeAttributes(named: "crypto")
    }
}
