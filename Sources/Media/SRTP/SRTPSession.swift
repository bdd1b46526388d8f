import CSRTP

/// One libsrtp session keyed for one direction of one leg: protect (outbound) or unprotect (inbound).
/// Confined to its stream's queue, like the transform that owns it.
final class SRTPSession {
    enum Direction {
        case outbound
        case inbound
    }

    /// Room libsrtp may write past the packet: tag and MKI, plus the SRTCP index.
    static let trailerCapacity = Int(SRTP_MAX_TRAILER_LEN) + 4

    private let context: srtp_t
    let usesMKI: Bool
    /// Packets left before the key's lifetime is over (RFC 4568 6.1); nil when unlimited.
    private(set) var packetsRemaining: UInt64?

    init(key: SRTPKeyMaterial, direction: Direction, replayWindow: Int = 1024) throws(SRTPError) {
        guard SRTPLibrary.ensureInitialized() else { throw .libraryInitialization(srtp_err_status_init_fail.rawValue) }
        var policy = srtp_policy_t()
        (policy.rtp, policy.rtcp) = key.suite.policies
        policy.ssrc.type = direction == .outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.window_size = UInt(replayWindow)
        policy.allow_repeat_tx = 0
        var session: srtp_t?
        var keyBytes = key.keyAndSalt
        var mki = key.mkiBytes ?? []
        let status: srtp_err_status_t = keyBytes.withUnsafeMutableBufferPointer { keyBuffer in
            guard key.mki != nil else {
                policy.key = keyBuffer.baseAddress
                return srtp_create(&session, &policy)
            }
            return mki.withUnsafeMutableBufferPointer { mkiBuffer in
                var master = srtp_master_key_t(
                    key: keyBuffer.baseAddress, mki_id: mkiBuffer.baseAddress, mki_size: UInt32(mkiBuffer.count))
                return withUnsafeMutablePointer(to: &master) { masterPointer in
                    var list: UnsafeMutablePointer<srtp_master_key_t>? = masterPointer
                    return withUnsafeMutablePointer(to: &list) { listPointer in
                        policy.key = nil
                        policy.keys = listPointer
                        policy.num_master_keys = 1
                        return srtp_create(&session, &policy)
                    }
                }
            }
        }
        // Wipe our copies; libsrtp keeps only derived session keys.
        for index in keyBytes.indices { keyBytes[index] = 0 }
        guard status == srtp_err_status_ok, let session else { throw .sessionCreation(status.rawValue) }
        self.context = session
        self.usesMKI = key.mki != nil
        self.packetsRemaining = key.lifetime
    }

    deinit {
        srtp_dealloc(context)
    }

    /// False once the key lifetime is spent.
    var hasLifetimeLeft: Bool { packetsRemaining != 0 }

    /// Counts one packet against the key lifetime (after it was processed, so forged packets cost nothing).
    func consumeLifetime() {
        if let remaining = packetsRemaining, remaining > 0 { packetsRemaining = remaining - 1 }
    }

    /// The four libsrtp calls; protecting adds a trailer (tag, MKI, SRTCP index).
    enum Operation {
        case protectRTP
        case protectRTCP
        case unprotectRTP
        case unprotectRTCP

        var grows: Bool { self == .protectRTP || self == .protectRTCP }
    }

    /// Runs one libsrtp call over the packet where it lies and sets its new length.
    /// Protecting needs ``trailerCapacity`` spare bytes after the packet.
    func run(_ operation: Operation, _ packet: inout MediaPacketBuffer) -> srtp_err_status_t {
        var length = Int32(packet.count)
        let bytes = packet.base
        let status: srtp_err_status_t
        switch operation {
        case .protectRTP:
            status = usesMKI ? srtp_protect_mki(context, bytes, &length, 1, 0) : srtp_protect(context, bytes, &length)
        case .protectRTCP:
            status = usesMKI ? srtp_protect_rtcp_mki(context, bytes, &length, 1, 0) : srtp_protect_rtcp(context, bytes, &length)
        case .unprotectRTP:
            status = usesMKI ? srtp_unprotect_mki(context, bytes, &length, 1) : srtp_unprotect(context, bytes, &length)
        case .unprotectRTCP:
            status = usesMKI ? srtp_unprotect_rtcp_mki(context, bytes, &length, 1) : srtp_unprotect_rtcp(context, bytes, &length)
        }
        if status == srtp_err_status_ok { packet.count = Int(length) }
        return status
    }
}

extension srtp_err_status_t {
    /// The drop reason for a failed protect or unprotect.
    var dropReason: MediaDropReason {
        switch self {
        case srtp_err_status_auth_fail, srtp_err_status_bad_mki: .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: .replayed
        case srtp_err_status_bad_param, srtp_err_status_parse_err: .malformed
        default: .internalError
        }
    }
}

extension SRTPSession {
    /// What every packet of a protector or unprotector goes through: an
    /// RTP version 2 packet at least `minimumLength` long, a key with
    /// lifetime left, room for the trailer when protecting, the libsrtp
    /// call in place, and the lifetime counted on success.
    func transform(_ packet: inout MediaPacketBuffer, minimumLength: Int, _ operation: Operation) -> MediaTransformResult {
        guard packet.count >= minimumLength, packet[0] >> 6 == 2 else { return .drop(.malformed) }
        guard hasLifetimeLeft else { return .drop(.internalError) }
        guard !operation.grows || packet.spareCapacity >= Self.trailerCapacity else { return .drop(.internalError) }
        let status = run(operation, &packet)
        guard status == srtp_err_status_ok else { return .drop(status.dropReason) }
        consumeLifetime()
        return .forward
    }
}
