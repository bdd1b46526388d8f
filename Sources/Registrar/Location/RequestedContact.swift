import SIPCore

/// One Contact address of a REGISTER with its parameters checked
/// (RFC 3261 20.10, RFC 5626 4.1).
struct RequestedContact {
    var uri: SIPURI
    var text: String
    /// The `expires` parameter, saturated at 2^32-1; nil when absent.
    var expires: UInt32?
    var q: Double?
    var instanceID: String?
    var regID: UInt32?

    init(_ address: NameAddress) throws(RegistrationError) {
        uri = address.uri
        text = address.text
        // One pass over the parameters, the first of each name kept, as the
        // parameters' subscript finds them (names case-insensitive; "" for a
        // name without a value); checked below in the order of that subscript's reads.
        var expiresText: String?
        var qText: String?
        var instanceText: String?
        var regIDText: String?
        for (name, value) in address.parameters {
            if expiresText == nil, Self.isName(name, "expires") {
                expiresText = value ?? ""
            } else if qText == nil, Self.isName(name, "q") {
                qText = value ?? ""
            } else if instanceText == nil, Self.isName(name, "+sip.instance") {
                instanceText = value ?? ""
            } else if regIDText == nil, Self.isName(name, "reg-id") {
                regIDText = value ?? ""
            }
        }
        if let e = expiresText {
            guard let v = Self.deltaSeconds(e) else { throw .badRequest("Bad expires parameter in Contact") }
            expires = v
        }
        if let qText {
            guard let v = Self.qvalue(qText) else { throw .badRequest("Bad q parameter in Contact") }
            q = v
        }
        if let inst = instanceText {
            guard inst.count > 2, inst.hasPrefix("<"), inst.hasSuffix(">") else {
                throw .badRequest("Bad +sip.instance parameter in Contact")
            }
            instanceID = inst
        }
        if let r = regIDText {
            guard let v = UInt32(r), v >= 1, v <= UInt32(Int32.max) else { throw .badRequest("Bad reg-id parameter in Contact") }
            regID = v
        }
    }

    /// Whether a parameter name (a token: ASCII) is `lowercase`, ignoring ASCII case.
    static func isName(_ name: String, _ lowercase: StaticString) -> Bool { name.utf8.equalsLowercase(lowercase) }

    /// delta-seconds; values of 2^32 and more count as 2^32-1.
    static func deltaSeconds(_ s: String) -> UInt32? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
        return UInt32(s) ?? UInt32.max
    }

    /// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 25.1).
    static func qvalue(_ s: String) -> Double? {
        let b = Array(s.utf8)
        guard let first = b.first, first == 0x30 || first == 0x31 else { return nil }
        if b.count > 1 {
            guard b[1] == 0x2E, b.count <= 5 else { return nil }
            for d in b[2...] {
                guard d &- 0x30 < 10, first == 0x30 || d == 0x30 else { return nil }
            }
        }
        return Double(s)
    }
}
