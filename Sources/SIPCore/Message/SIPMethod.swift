/// A request method. Known methods are shared constants; any other token is
/// kept as written (RFC 3261 7.1: methods are case-sensitive).
public struct SIPMethod: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let invite = SIPMethod("INVITE")
    public static let ack = SIPMethod("ACK")
    public static let bye = SIPMethod("BYE")
    public static let cancel = SIPMethod("CANCEL")
    public static let options = SIPMethod("OPTIONS")
    public static let register = SIPMethod("REGISTER")
    public static let prack = SIPMethod("PRACK")
    public static let subscribe = SIPMethod("SUBSCRIBE")
    public static let notify = SIPMethod("NOTIFY")
    public static let publish = SIPMethod("PUBLISH")
    public static let info = SIPMethod("INFO")
    public static let refer = SIPMethod("REFER")
    public static let message = SIPMethod("MESSAGE")
    public static let update = SIPMethod("UPDATE")

    /// The method named by `bytes`, reusing the shared constant when it is a known one.
    init(bytes: ArraySlice<UInt8>) {
        if let known = bytes.withRawBytes({ Self.known($0) }) {
            self = known
        } else {
            self.rawValue = String(decoding: bytes, as: UTF8.self)
        }
    }

    /// A known method by exact (case-sensitive, RFC 3261 7.1) comparison.
    private static func known(_ b: RawBytes) -> SIPMethod? {
        guard let first = b.first else { return nil }
        func equals(_ s: StaticString) -> Bool {
            guard b.count == s.utf8CodeUnitCount else { return false }
            for i in 0..<b.count where b.base[i] != s.utf8Start[i] { return false }
            return true
        }
        switch first {
        case UInt8(ascii: "I"): return equals("INVITE") ? .invite : equals("INFO") ? .info : nil
        case UInt8(ascii: "A"): return equals("ACK") ? .ack : nil
        case UInt8(ascii: "B"): return equals("BYE") ? .bye : nil
        case UInt8(ascii: "C"): return equals("CANCEL") ? .cancel : nil
        case UInt8(ascii: "O"): return equals("OPTIONS") ? .options : nil
        case UInt8(ascii: "R"): return equals("REGISTER") ? .register : equals("REFER") ? .refer : nil
        case UInt8(ascii: "P"): return equals("PRACK") ? .prack : equals("PUBLISH") ? .publish : nil
        case UInt8(ascii: "S"): return equals("SUBSCRIBE") ? .subscribe : nil
        case UInt8(ascii: "N"): return equals("NOTIFY") ? .notify : nil
        case UInt8(ascii: "M"): return equals("MESSAGE") ? .message : nil
        case UInt8(ascii: "U"): return equals("UPDATE") ? .update : nil
        default: return nil
        }
    }
}
