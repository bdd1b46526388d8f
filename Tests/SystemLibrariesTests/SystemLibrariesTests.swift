import COpenSSL
import COpus
import CSRTP
import CSwitchboardShims
import Media
import Testing

/// Each system library links and does real work: a digest, an SRTP round trip, an Opus encoder.
@Suite("System C libraries")
struct SystemLibrariesTests {
    @Test("OpenSSL computes SHA-256 of \"abc\" (FIPS 180-2 test vector)")
    func opensslDigest() throws {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let input: [UInt8] = Array("abc".utf8)
        let ok = EVP_Digest(input, input.count, &digest, &length, EVP_sha256(), nil)
        #expect(ok == 1)
        let hex = digest.prefix(Int(length)).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("OpenSSL TLS context accepts a TLS 1.2 floor through the shim")
    func opensslContext() throws {
        let ctx = try #require(SSL_CTX_new(TLS_method()))
        defer { SSL_CTX_free(ctx) }
        #expect(sb_ssl_ctx_set_min_proto_version(ctx, TLS1_2_VERSION) == 1)
    }

    @Test("libsrtp2 initialises and protects then unprotects an RTP packet")
    func srtpRoundTrip() throws {
        // srtp_init is not thread-safe; the Media module's one-time initialisation serves every caller.
        #expect(SRTPLibrary.ensureInitialized())
        var policy = srtp_policy_t()
        srtp_crypto_policy_set_rtp_default(&policy.rtp)
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        var key = [UInt8](repeating: 0, count: 30)
        for i in key.indices { key[i] = UInt8(i) }
        var sender: srtp_t?
        var receiver: srtp_t?
        key.withUnsafeMutableBufferPointer { keyBuffer in
            policy.key = keyBuffer.baseAddress
            policy.ssrc.type = ssrc_any_outbound
            _ = srtp_create(&sender, &policy)
            policy.ssrc.type = ssrc_any_inbound
            _ = srtp_create(&receiver, &policy)
        }
        defer {
            srtp_dealloc(sender)
            srtp_dealloc(receiver)
        }
        // 12-byte RTP header (V=2, PT=0, seq=1, ts=160, SSRC=0xdeadbeef) + 160 bytes payload,
        // room for the 10-byte auth tag.
        var packet: [UInt8] = [0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xA0, 0xDE, 0xAD, 0xBE, 0xEF]
        packet += [UInt8](repeating: 0x55, count: 160)
        let original = packet
        packet += [UInt8](repeating: 0, count: Int(SRTP_MAX_TRAILER_LEN))
        var length = Int32(original.count)
        #expect(srtp_protect(sender, &packet, &length) == srtp_err_status_ok)
        #expect(Int(length) == original.count + 10)
        #expect(Array(packet[12..<Int(length) - 10]) != Array(original[12...]))
        #expect(srtp_unprotect(receiver, &packet, &length) == srtp_err_status_ok)
        #expect(Array(packet[..<Int(length)]) == original)
    }

    @Test("libopus creates an 8 kHz VoIP encoder and encodes 20 ms of silence")
    func opusEncoder() throws {
        var error: Int32 = 0
        let encoder = try #require(opus_encoder_create(8000, 1, OPUS_APPLICATION_VOIP, &error))
        defer { opus_encoder_destroy(encoder) }
        #expect(error == OPUS_OK)
        let pcm = [Int16](repeating: 0, count: 160)
        var out = [UInt8](repeating: 0, count: 400)
        let bytes = opus_encode(encoder, pcm, 160, &out, 400)
        #expect(bytes > 0)
        let version = String(cString: opus_get_version_string())
        #expect(version.hasPrefix("libopus"))
    }
}
