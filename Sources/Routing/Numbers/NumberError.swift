/// Why a dialled string could not be made an E.164 number; carries the SIP
/// status the call core answers with.
public enum NumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing left after separators and prefixes were removed.
    case empty
    /// A character that is neither a digit, a leading `+` nor a visual separator.
    case invalidCharacter(Character)
    /// The URI has no user part or a user part that is not a telephone number.
    case notATelephoneNumber(String)
    /// The digits fit no rule of the dial plan (wrong national length, unknown prefix).
    case incomplete(String)
    /// More than the 15 digits ITU-T E.164 allows.
    case tooLong(String)

    /// 484 Address Incomplete (RFC 3261 21.4.22) for numbers of the wrong
    /// shape; 404 Not Found for strings that are no number at all.
    public var sipStatus: Int {
        switch self {
        case .empty, .incomplete, .tooLong: 484
        case .invalidCharacter, .notATelephoneNumber: 404
        }
    }

    public var description: String {
        switch self {
        case .empty: "empty number"
        case .invalidCharacter(let c): "character '\(c)' not allowed in a number"
        case .notATelephoneNumber(let s): "'\(s)' is not a telephone number"
        case .incomplete(let s): "'\(s)' matches no rule of the dial plan"
        case .tooLong(let s): "'\(s)' is longer than 15 digits (E.164)"
        }
    }
}
