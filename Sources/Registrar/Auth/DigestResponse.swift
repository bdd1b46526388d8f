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
        let ha2 = algorithm.hexDigest("\(method):\(uri)")
        if let qop {
            return algorithm.hexDigest("\(ha1):\(nonce):\(qop.nc):\(qop.cnonce):auth:\(ha2)")
        }
        return algorithm.hexDigest("\(ha1):\(nonce):\(ha2)")
    }
}
