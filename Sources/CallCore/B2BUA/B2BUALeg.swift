/// A side of a bridged call: A is the caller (PBX, phone) whose INVITE the
/// B2BUA answers, B the call it places towards a carrier.
public enum B2BUALeg: Sendable, Hashable, CustomStringConvertible {
    case a, b

    public var other: B2BUALeg { self == .a ? .b : .a }
    public var description: String { self == .a ? "A" : "B" }
}
