/// The STUN keep-alive usage of SIP Outbound (RFC 5626 sections 4.4.1 and
/// 8): a client sends Binding requests to the SIP port of a UDP flow and
/// reads its public address from the answer. No authentication and no
/// FINGERPRINT are required by this usage; a FINGERPRINT that is present
/// must be right.
enum STUNKeepAlive {
    /// What to do with a datagram that `STUNMessage.isCandidate` accepted.
    enum Answer: Sendable, Hashable {
        /// A Binding success (or 420) response for the source.
        case reply([UInt8])
        /// Not a usable Binding request: dropped without an answer.
        case drop(reason: String)
    }

    /// XORed into the CRC-32 of a FINGERPRINT (RFC 5389 section 15.5).
    static let fingerprintXOR: UInt32 = 0x5354_554E

    /// Answers a Binding request from `source` with its reflexive address
    /// in XOR-MAPPED-ADDRESS and the request's transaction id (RFC 5389
    /// section 7.3.1); anything else is dropped.
    static func answer(_ bytes: [UInt8], from source: SocketAddress) -> Answer {
        guard let request = STUNMessage(decoding: bytes) else { return .drop(reason: "malformed STUN message") }
        guard request.type == STUNMessage.bindingRequest else {
            return .drop(reason: "STUN message type 0x\(String(request.type, radix: 16)) is not a Binding request")
        }
        if let index = request.attributes.firstIndex(where: { $0.type == STUNAttribute.fingerprint }) {
            let fingerprint = request.attributes[index]
            guard index == request.attributes.count - 1, fingerprint.value.count == 4,
                fingerprint.value.readUInt32(at: 0) == CRC32.checksum(bytes[..<fingerprint.offset]) ^ fingerprintXOR
            else { return .drop(reason: "STUN FINGERPRINT does not match") }
        }
        let unknown = request.attributes.filter { $0.isComprehensionRequired && !STUNAttribute.understood.contains($0.type) }
        if !unknown.isEmpty {
            let response = STUNMessage(
                type: STUNMessage.bindingErrorResponse, transactionID: request.transactionID,
                attributes: [.error(code: 420, reason: "Unknown Attribute"), .unknown(unknown.map(\.type))])
            return .reply(response.encoded())
        }
        let response = STUNMessage(
            type: STUNMessage.bindingSuccessResponse, transactionID: request.transactionID,
            attributes: [.xorMapped(source, transactionID: request.transactionID)])
        return .reply(response.encoded())
    }
}
