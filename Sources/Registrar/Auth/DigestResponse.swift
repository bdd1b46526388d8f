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
