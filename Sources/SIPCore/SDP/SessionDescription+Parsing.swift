extension SessionDescription {
    /// Parses an SDP body (RFC 8866 9 grammar), accepting CRLF or bare LF line ends.
    ///
    /// Liberal where it costs nothing: blank lines are skipped, fields may be
    /// separated by several blanks, session-level lines may come in any order
    /// before the first `m=`. Strict where RFC 8866 is: `v=0` first, one `o=`,
    /// `s=` and at least one `t=`, well-formed `c=`/`b=`/`t=`/`m=`, a `c=` for
    /// every media section, and known line types only.
    public init(parsing bytes: some Collection<UInt8>, limits: SDPParseLimits = SDPParseLimits()) throws(SDPParseError) {
        let count = bytes.count
        guard count <= limits.maxBytes else {
            throw SDPParseError(.tooLarge, line: 0, type: nil, "body of \(count) bytes exceeds limit of \(limits.maxBytes)")
        }
        if let array = bytes as? [UInt8] {
            try self.init(buffer: array[...], limits: limits)
        } else if let slice = bytes as? ArraySlice<UInt8> {
            try self.init(buffer: slice, limits: limits)
        } else {
            try self.init(buffer: ArraySlice(bytes), limits: limits)
        }
    }

    /// Parses SDP text; see the byte form.
    public init(parsing string: String, limits: SDPParseLimits = SDPParseLimits()) throws(SDPParseError) {
        try self.init(parsing: Array(string.utf8), limits: limits)
    }

    init(buffer: ArraySlice<UInt8>, limits: SDPParseLimits) throws(SDPParseError) {
        var parser = SDPParser(limits: limits)
        self = try parser.parse(buffer)
    }
}

/// The line-by-line state of one parse.
struct SDPParser {
    let limits: SDPParseLimits

    private var lineNumber = 0
    private var version: Int?
    private var origin: SDPOrigin?
    private var sessionName: String?
    private var information: String?
    private var uri: String?
    private var emails: [String] = []
    private var phones: [String] = []
    private var connection: SDPConnection?
    private var bandwidths: [SDPBandwidth] = []
    private var timings: [SDPTiming] = []
    private var timeZones: String?
    private var encryptionKey: String?
    private var attributes: [SDPAttribute] = []
    /// Media sections; the last one is open while `inMedia`, mutated in place.
    private var media: [MediaDescription] = []
    private var inMedia = false
    /// The line of the open section's `m=`.
    private var currentLine = 0

    init(limits: SDPParseLimits) {
        self.limits = limits
    }

    mutating func parse(_ buffer: ArraySlice<UInt8>) throws(SDPParseError) -> SessionDescription {
        var index = buffer.startIndex
        let end = buffer.endIndex
        while index < end {
            let start = index
            var lineEnd = start
            while lineEnd < end, buffer[lineEnd] != 0x0A { lineEnd += 1 }
            index = lineEnd < end ? lineEnd + 1 : end
            if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            lineNumber += 1
            guard lineNumber <= limits.maxLines else {
                throw SDPParseError(.tooManyLines, line: lineNumber, type: nil, "more than \(limits.maxLines) lines")
            }
            guard lineEnd > start else { continue }
            let line = buffer[start..<lineEnd]
            try parseLine(line)
        }
        try closeMedia()
        if version == nil {
            throw SDPParseError(.missingVersion, line: max(lineNumber, 1), type: nil, "empty session description")
        }
        if media.isEmpty {
            try checkSessionSection(endType: nil)
        }
        guard let origin, let sessionName else { preconditionFailure("checked by checkSessionSection") }
        var description = SessionDescription(origin: origin, sessionName: sessionName, connection: connection, timings: timings, attributes: attributes, media: media)
        description.information = information
        description.uri = uri
        description.emails = emails
        description.phones = phones
        description.bandwidths = bandwidths
        description.timeZones = timeZones
        description.encryptionKey = encryptionKey
        return description
    }

    private mutating func parseLine(_ line: ArraySlice<UInt8>) throws(SDPParseError) {
        let type = line[line.startIndex]
        guard line.count >= 2, line[line.startIndex + 1] == SDPBytes.equals, type >= 0x61, type <= 0x7A else {
            throw SDPParseError(.malformedLine, line: lineNumber, type: nil, "not of the form <type>=<value>")
        }
        let value = line[(line.startIndex + 2)...]
        guard version != nil else {
            guard type == UInt8(ascii: "v") else {
                throw SDPParseError(.missingVersion, line: lineNumber, type: type, "first line must be v=0")
            }
            guard let number = SDPBytes.decimal(value, as: UInt8.self), number == 0 else {
                throw SDPParseError(.unsupportedVersion, line: lineNumber, type: type, "only SDP version 0 is supported")
            }
            version = 0
            return
        }
        let last = media.count - 1
        switch type {
        case UInt8(ascii: "m"):
            try parseMedia(line, value: value)
        case UInt8(ascii: "a"):
            let (name, rest) = SDPBytes.splitOnce(value, at: SDPBytes.colon)
            guard !name.isEmpty else {
                throw SDPParseError(.invalidAttribute, line: lineNumber, type: type, "attribute without a name")
            }
            let attribute = SDPAttribute(name: SDPBytes.string(name), value: rest.map(SDPBytes.string))
            if inMedia { media[last].attributes.append(attribute) } else { attributes.append(attribute) }
        case UInt8(ascii: "c"):
            guard var parsed = SDPConnection(value: value) else {
                throw SDPParseError(.invalidConnection, line: lineNumber, type: type, "malformed connection data")
            }
            parsed.verbatim = SDPVerbatimLine(line)
            if inMedia {
                media[last].connections.append(parsed)
            } else {
                guard connection == nil else { throw duplicate(type) }
                connection = parsed
            }
        case UInt8(ascii: "b"):
            guard var parsed = SDPBandwidth(value: value) else {
                throw SDPParseError(.invalidBandwidth, line: lineNumber, type: type, "malformed bandwidth")
            }
            parsed.verbatim = SDPVerbatimLine(line)
            if inMedia { media[last].bandwidths.append(parsed) } else { bandwidths.append(parsed) }
        case UInt8(ascii: "i"):
            if inMedia {
                guard media[last].information == nil else { throw duplicate(type) }
                media[last].information = SDPBytes.string(value)
            } else {
                guard information == nil else { throw duplicate(type) }
                information = SDPBytes.string(value)
            }
        case UInt8(ascii: "k"):
            if inMedia {
                guard media[last].encryptionKey == nil else { throw duplicate(type) }
                media[last].encryptionKey = SDPBytes.string(value)
            } else {
                guard encryptionKey == nil else { throw duplicate(type) }
                encryptionKey = SDPBytes.string(value)
            }
        case UInt8(ascii: "o"), UInt8(ascii: "s"), UInt8(ascii: "u"), UInt8(ascii: "e"), UInt8(ascii: "p"),
            UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "z"), UInt8(ascii: "v"):
            guard !inMedia else {
                throw SDPParseError(.misplacedLine, line: lineNumber, type: type, "session-level line inside a media section")
            }
            try parseSessionLine(type, line: line, value: value)
        default:
            throw SDPParseError(.unknownLineType, line: lineNumber, type: type, "unknown line type")
        }
    }

    private mutating func parseSessionLine(
        _ type: UInt8, line: ArraySlice<UInt8>, value: ArraySlice<UInt8>
    ) throws(SDPParseError) {
        switch type {
        case UInt8(ascii: "o"):
            guard origin == nil else { throw duplicate(type) }
            guard var parsed = SDPOrigin(value: value) else {
                throw SDPParseError(.invalidOrigin, line: lineNumber, type: type, "malformed origin")
            }
            parsed.verbatim = SDPVerbatimLine(line)
            origin = parsed
        case UInt8(ascii: "s"):
            guard sessionName == nil else { throw duplicate(type) }
            sessionName = SDPBytes.string(value)
        case UInt8(ascii: "u"):
            guard uri == nil else { throw duplicate(type) }
            uri = SDPBytes.string(value)
        case UInt8(ascii: "e"):
            emails.append(SDPBytes.string(value))
        case UInt8(ascii: "p"):
            phones.append(SDPBytes.string(value))
        case UInt8(ascii: "t"):
            guard var parsed = SDPTiming(value: value) else {
                throw SDPParseError(.invalidTiming, line: lineNumber, type: type, "malformed timing")
            }
            parsed.verbatim = SDPVerbatimLine(line)
            timings.append(parsed)
        case UInt8(ascii: "r"):
            guard !timings.isEmpty else {
                throw SDPParseError(.misplacedLine, line: lineNumber, type: type, "repeat time before any t= line")
            }
            timings[timings.count - 1].repeats.append(SDPBytes.string(value))
        case UInt8(ascii: "z"):
            guard timeZones == nil else { throw duplicate(type) }
            timeZones = SDPBytes.string(value)
        default:
            throw duplicate(type)  // a second v=
        }
    }

    private mutating func parseMedia(_ line: ArraySlice<UInt8>, value: ArraySlice<UInt8>) throws(SDPParseError) {
        let type = UInt8(ascii: "m")
        if inMedia {
            try closeMedia()
        } else {
            try checkSessionSection(endType: type)
        }
        guard media.count < limits.maxMediaDescriptions else {
            throw SDPParseError(.tooManyMediaDescriptions, line: lineNumber, type: type, "more than \(limits.maxMediaDescriptions) media descriptions")
        }
        let fields = SDPBytes.fields(value)
        guard fields.count >= 3 else {
            throw SDPParseError(.invalidMedia, line: lineNumber, type: type, "media line needs media, port, proto and formats")
        }
        guard fields.count >= 4 else {
            throw SDPParseError(.missingFormats, line: lineNumber, type: type, "media line without formats")
        }
        let (portBytes, countBytes) = SDPBytes.splitOnce(fields[1], at: SDPBytes.slash)
        guard let port = SDPBytes.decimal(portBytes, as: UInt16.self) else {
            throw SDPParseError(.invalidPort, line: lineNumber, type: type, "port is not a number in 0-65535")
        }
        var portCount: UInt16?
        if let countBytes {
            guard let count = SDPBytes.decimal(countBytes, as: UInt16.self), count > 0 else {
                throw SDPParseError(.invalidPort, line: lineNumber, type: type, "invalid port count")
            }
            portCount = count
        }
        let isRTP = MediaDescription.isRTP(proto: fields[2])
        var formats: [String] = []
        formats.reserveCapacity(fields.count - 3)
        for format in fields[3...] {
            if isRTP {
                guard let payloadType = SDPBytes.decimal(format, as: UInt8.self), payloadType <= 127 else {
                    throw SDPParseError(.invalidPayloadType, line: lineNumber, type: type, "RTP payload type is not a number in 0-127")
                }
            }
            formats.append(SDPBytes.string(format))
        }
        var description = MediaDescription(
            mediaType: SDPBytes.string(fields[0]), port: port, portCount: portCount,
            proto: SDPBytes.string(fields[2]), formats: formats)
        description.verbatim = SDPVerbatimLine(line)
        media.append(description)
        inMedia = true
        currentLine = lineNumber
    }

    private mutating func closeMedia() throws(SDPParseError) {
        guard inMedia, let section = media.last else { return }
        if section.connections.isEmpty, connection == nil {
            throw SDPParseError(.missingConnection, line: currentLine, type: UInt8(ascii: "m"), "no c= line for this media and none at session level")
        }
        inMedia = false
    }

    /// Checks the mandatory session-level lines when the session section ends
    /// (at the first `m=`, or at the end of input when `endType` is nil).
    private func checkSessionSection(endType: UInt8?) throws(SDPParseError) {
        let line = max(lineNumber, 1)
        if origin == nil {
            throw SDPParseError(.missingOrigin, line: line, type: endType, "missing o= line")
        }
        if sessionName == nil {
            throw SDPParseError(.missingSessionName, line: line, type: endType, "missing s= line")
        }
        if timings.isEmpty {
            throw SDPParseError(.missingTiming, line: line, type: endType, "missing t= line")
        }
    }

    private func duplicate(_ type: UInt8) -> SDPParseError {
        SDPParseError(.duplicateLine, line: lineNumber, type: type, "line type may appear only once here")
    }
}
