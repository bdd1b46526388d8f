import SIPCore
import SIPTransaction

extension B2BUACall {
    /// What the B2BUA keeps about the carrier leg beyond its dialog:
    /// digest nonces in use, credentials its ACKs repeat, ring state, and
    /// INVITEs given up on whose late 2xx must still be ended.
    struct CarrierLegState {
        /// The challenge answered last per header field and realm, and the last nc sent with its nonce.
        var nonces: [NonceKey: CachedNonce] = [:]
        /// The credentials of each INVITE sent on leg B, by CSeq: its ACK carries the same (RFC 3261 13.2.2.4).
        var inviteCredentials: [UInt32: [(String, String)]] = [:]
        /// The current attempt sent a 101-199 (it rings).
        var ringing = false
        /// Attempts cancelled for a ring or provisional timeout, by transaction, with their INVITE.
        var abandoned: [ClientTransactionID: SIPMessage] = [:]
        /// Redirect targets added from 3xx responses so far.
        var redirectTargets = 0
    }

    struct NonceKey: Hashable {
        /// `Authorization` or `Proxy-Authorization`.
        var header: String
        var realm: String
    }

    /// A nonce answered on the current candidate and the last nc used with it.
    struct CachedNonce {
        var authorization: DigestAuthorization
        var candidate: Int
        var count: UInt32
    }
}
