import COpus

/// A libopus failure: the call and its status (`OPUS_BAD_ARG`, `OPUS_INVALID_PACKET`...).
public struct OpusError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var status: Int32

    init(_ operation: String, status: Int32) {
        self.operation = operation
        self.status = status
    }

    public var description: String {
        "\(operation): \(String(cString: opus_strerror(status))) (\(status))"
    }
}
