import COpenSSL

/// The `response` of credentials (RFC 7616 section 3.4.1, RFC 2069 without qop).
public enum DigestResponse {
    /// `KD(HA1, nonce:nc:cnonce:qop:HA2)` with qop=auth, `KD(HA1, nonce:HA2)` without;
    /// `HA2 = H(method:uri)`; lowercase hex.
    ///
    /// - Parameter qop: `nc` exactly as the client wrote it, and `cnonce`; nil for no qop.
    public static func compute(
        ha1: String, algorithm: DigestAlgorithm, method: String, uri: String, nonce: String,
        qop: (nc: String, cnonce: String)?
    ) -> String {
        var a2 = [UInt8]()
        a2.reserveCapacity(method.utf8.count + uri.utf8.count + 1)
        a2 += method.utf8
        a2.append(colon)
        a2 += uri.utf8
        let ha2 = Hex.lowercaseBytes(algorithm.hash(a2))
        var kd = [UInt8]()
        kd.reserveCapacity(ha1.utf8.count + nonce.utf8.count + ha2.count + (qop.map { $0.nc.utf8.count + $0.cnonce.utf8.count } ?? 0) + 12)
        kd += ha1.utf8
        kd.append(colon)
        kd += nonce.utf8
        kd.append(colon)
        if let qop {
            kd += qop.nc.utf8
            kd.append(colon)
            kd += qop.cnonce.utf8
            kd += ":auth:".utf8
        }
        kd += ha2
        return Hex.lowercase(algorithm.hash(kd))
    }

    private static let colon = UInt8(ascii: ":")
}

extension DigestResponse {
    /// The parts of a request that its `response` covers, as bytes.
    struct Input {
        var method: UnsafeRawBufferPointer
        var uri: UnsafeRawBufferPointer
        var nonce: UnsafeRawBufferPointer
        /// `nc` exactly as the client wrote it, and `cnonce`; nil for no qop.
        var qop: (nc: UnsafeRawBufferPointer, cnonce: UnsafeRawBufferPointer)?
    }

    /// Hands the expected `response` (lowercase hex, RFC 7616 3.4.1) for HA1
    /// written as lowercase hex `ha1` to `body`. The same value as `compute`,
    /// assembled and hashed in temporary buffers instead of arrays and strings.
    static func withExpected<R>(
        ha1: UnsafeRawBufferPointer, algorithm: DigestAlgorithm, _ input: Input, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        let digestSpace = Int(EVP_MAX_MD_SIZE)
        let a2Count = input.method.count + 1 + input.uri.count
        let kdCount = ha1.count + 1 + input.nonce.count + 1 + (input.qop.map { $0.nc.count + 1 + $0.cnonce.count + 6 } ?? 0) + 2 * digestSpace
        return withUnsafeTemporaryAllocation(byteCount: digestSpace + 2 * digestSpace + max(a2Count, kdCount), alignment: 8) { scratch in
            let digest = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<digestSpace])
            let hex = UnsafeMutableRawBufferPointer(rebasing: scratch[digestSpace..<(3 * digestSpace)])
            let text = UnsafeMutableRawBufferPointer(rebasing: scratch[(3 * digestSpace)...])
            var i = 0
            func append(_ bytes: UnsafeRawBufferPointer) {
                UnsafeMutableRawBufferPointer(rebasing: text[i..<(i + bytes.count)]).copyMemory(from: bytes)
                i += bytes.count
            }
            func append(_ byte: UInt8) {
                text[i] = byte
                i += 1
            }
            // HA2 = H(method ":" uri)
            append(input.method)
            append(colon)
            append(input.uri)
            var n = algorithm.hash(UnsafeRawBufferPointer(rebasing: text[0..<i]), into: digest)
            let ha2Count = Hex.writeLowercase(UnsafeRawBufferPointer(rebasing: digest[0..<n]), to: hex)
            // KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2), or KD(HA1, nonce ":" HA2) without qop.
            i = 0
            append(ha1)
            append(colon)
            append(input.nonce)
            append(colon)
            if let qop = input.qop {
                append(qop.nc)
                append(colon)
                append(qop.cnonce)
                append(UnsafeRawBufferPointer(start: Self.authSeparator.utf8Start, count: Self.authSeparator.utf8CodeUnitCount))
            }
            append(UnsafeRawBufferPointer(rebasing: hex[0..<ha2Count]))
            n = algorithm.hash(UnsafeRawBufferPointer(rebasing: text[0..<i]), into: digest)
            let count = Hex.writeLowercase(UnsafeRawBufferPointer(rebasing: digest[0..<n]), to: hex)
            return body(UnsafeRawBufferPointer(rebasing: hex[0..<count]))
        }
    }

    private static let authSeparator: StaticString = ":auth:"
}
