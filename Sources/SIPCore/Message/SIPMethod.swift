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

    static let known: [SIPMethod] = [
        .invite, .ack, .bye, .cancel, .options, .register, .prack, .subscribe, .notify, .publish, .info, .refer,
        .message, .update,
    ]

    /// The method named by `bytes`, reusing the shared constant when it is a known one.
    init<C: Collection<UInt8>>(bytes: C) {
        let n = bytes.count
        if let first = bytes.first {
            for m in SIPMethod.known where m.rawValue.utf8.count == n && m.rawValue.utf8.first == first {
                if m.rawValue.utf8.elementsEqual(bytes) {
                    self = m
                    return
                }
            }
        }
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }
}
