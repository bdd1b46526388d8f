import CSRTP

/// The SDES crypto suites Switchboard offers and accepts (RFC 4568 6.2, RFC 7714 14.2).
public enum SRTPCryptoSuite: String, Sendable, Hashable, CaseIterable {
    case aesCM128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCM128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"
    case aeadAES128GCM = "AEAD_AES_128_GCM"
    case aeadAES256GCM = "AEAD_AES_256_GCM"

    /// The suite named in an `a=crypto` line; names are case-sensitive (RFC 4568 9.2).
    public init?(sdpName: String) { self.init(rawValue: sdpName) }

    public var sdpName: String { rawValue }

    /// Master key length in bytes.
    public var masterKeyLength: Int {
        switch self {
        case .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32, .aeadAES128GCM: 16
        case .aeadAES256GCM: 32
        }
    }

    /// Master salt length in bytes (112 bits for AES-CM, 96 for GCM).
    public var masterSaltLength: Int {
        switch self {
        case .aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32: 14
        case .aeadAES128GCM, .aeadAES256GCM: 12
        }
    }

    /// Length of the `inline:` key||salt.
    public var keyMaterialLength: Int { masterKeyLength + masterSaltLength }

    /// Authentication tag bytes added to SRTP packets.
    public var rtpTagLength: Int {
        switch self {
        case .aesCM128HMACSHA1_80: 10
        case .aesCM128HMACSHA1_32: 4
        case .aeadAES128GCM, .aeadAES256GCM: 16
        }
    }

    /// libsrtp crypto policies for RTP and RTCP; `_32` keeps an 80-bit SRTCP tag (RFC 4568 6.2.2).
    /// (libsrtp spells AES_CM_128_HMAC_SHA1_80 as its default, a function; the suite-named setter is a macro.)
    var policies: (rtp: srtp_crypto_policy_t, rtcp: srtp_crypto_policy_t) {
        var rtp = srtp_crypto_policy_t()
        var rtcp = srtp_crypto_policy_t()
        switch self {
        case .aesCM128HMACSHA1_80:
            srtp_crypto_policy_set_rtp_default(&rtp)
            srtp_crypto_policy_set_rtp_default(&rtcp)
        case .aesCM128HMACSHA1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&rtp)
            srtp_crypto_policy_set_rtp_default(&rtcp)
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&rtcp)
        case .aeadAES256GCM:
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&rtp)
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&rtcp)
        }
        return (rtp, rtcp)
    }
}
