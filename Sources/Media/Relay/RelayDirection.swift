/// The two sides of a relayed stream: A faces the caller, B the callee.
public enum MediaLegSide: String, Sendable, Hashable, CaseIterable {
    case a
    case b

    public var other: MediaLegSide { self == .a ? .b : .a }
}

/// The direction packets flow through a stream.
public enum RelayDirection: String, Sendable, Hashable, CaseIterable {
    case aToB
    case bToA

    /// The direction of packets received on `side`.
    public init(receivedOn side: MediaLegSide) {
        self = side == .a ? .aToB : .bToA
    }
}
