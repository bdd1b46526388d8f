import SIPCore

/// The JSON form of an SDP body (filled in from the SDP parser).
enum SDPReport {
    static func document(_ body: ArraySlice<UInt8>) -> JSONDocument {
        .object([("text", .string(String(decoding: body, as: UTF8.self)))])
    }
}
