/// Why a session description was rejected, with the line that caused it.
///
/// The parser only reports malformed SDP, which becomes `400 Bad Request`
/// (``sipStatus``). Well-formed SDP that offers nothing Switchboard can use
/// (unknown media, protocols or codecs) parses fine; answering it with
/// `488 Not Acceptable Here` is the caller's decision, not the parser's.
public struct SDPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem, for metrics labels and tests.
    public enum Kind: String, Sendable, Hashable {
        case tooLarge = "too-large"
        case tooManyLines = "too-many-lines"
        case tooManyMediaDescriptions = "too-many-media"
        case malformedLine = "malformed-line"
        case unknownLineType = "unknown-line-type"
        case missingVersion = "missing-version"
        case unsupportedVersion = "unsupported-version"
        case missingOrigin = "missing-origin"
        case missingSessionName = "missing-session-name"
        case missingTiming = "missing-timing"
        case duplicateLine = "duplicate-line"
        case misplacedLine = "misplaced-line"
        case invalidOrigin = "invalid-origin"
        case invalidConnection = "invalid-connection"
        case invalidBandwidth = "invalid-bandwidth"
        case invalidTiming = "invalid-timing"
        case invalidMedia = "invalid-media"
        case invalidPort = "invalid-port"
        case invalidPayloadType = "invalid-payload-type"
        case missingFormats = "missing-formats"
        case missingConnection = "missing-connection"
        case invalidAttribute = "invalid-attribute"
    }

    public var kind: Kind
    /// 1-based line number; 0 when the problem concerns the whole body (size limits).
    public var line: Int
    /// The type letter of the offending line (`"m"` for `m=`), when there is one.
    public var lineType: Character?
    /// Short ASCII text naming the line and the problem; safe as a SIP reason
    /// phrase and a log field (it never quotes bytes from the input).
    public var reason: String

    /// The SIP status a request carrying this SDP is answered with.
    public var sipStatus: Int { 400 }

    public var description: String { reason }

    init(_ kind: Kind, line: Int, type: UInt8?, _ detail: String) {
        self.kind = kind
        self.line = line
        self.lineType = type.map { Character(Unicode.Scalar($0)) }
        if line == 0 {
            self.reason = "Bad SDP: \(detail)"
        } else if let type, type > 0x20, type < 0x7F {
            self.reason = "Bad SDP line \(line) (\(Character(Unicode.Scalar(type)))=): \(detail)"
        } else {
            self.reason = "Bad SDP line \(line): \(detail)"
        }
    }
}
