/// An operator's static route: numbers matching `match` go to `carriers`, in
/// that order, ahead of cost ordering (for example, a DID range always
/// through Bandwidth).
public struct RoutePin: Sendable, Hashable {
    public enum Match: Sendable, Hashable {
        /// Numbers starting with these digits.
        case prefix(String)
        /// Numbers of the same length between the two, inclusive (a DID block).
        case range(E164Number, E164Number)
    }

    public var match: Match
    public var carriers: [String]
    /// When true only `carriers` are tried; otherwise the cost-ordered rest follows them.
    public var exclusive: Bool

    public init(_ match: Match, carriers: [String], exclusive: Bool = false) {
        self.match = match
        self.carriers = carriers
        self.exclusive = exclusive
    }

    /// Whether the pin applies to `number`.
    public func matches(_ number: E164Number) -> Bool {
        switch match {
        case .prefix(let prefix):
            return number.hasPrefix(prefix)
        case .range(let low, let high):
            let n = number.digits.utf8.count
            return n == low.digits.utf8.count && n == high.digits.utf8.count && low <= number && number <= high
        }
    }

    /// How specific the match is: a range beats any prefix, a longer prefix a shorter one.
    var specificity: Int {
        switch match {
        case .prefix(let prefix): prefix.utf8.count
        case .range: Int.max
        }
    }
}
