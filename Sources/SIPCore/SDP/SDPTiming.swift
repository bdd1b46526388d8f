/// A `t=` line (RFC 8866 5.9) with the `r=` lines that follow it (5.10), kept as text.
///
/// SIP sessions use `t=0 0`; repeat times only matter to announced sessions,
/// so they are carried, not interpreted.
public struct SDPTiming: Sendable, Hashable {
    /// NTP seconds; 0 means unbounded.
    public var start: UInt64 { didSet { verbatim = .init() } }
    public var stop: UInt64 { didSet { verbatim = .init() } }
    /// The values of the `r=` lines, without `r=`.
    public var repeats: [String]

    var verbatim = SDPVerbatimLine()

    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }

    init?(value: ArraySlice<UInt8>) {
        let fields = SDPBytes.fields(value)
        guard fields.count == 2,
            let start = SDPBytes.decimal(fields[0], as: UInt64.self),
            let stop = SDPBytes.decimal(fields[1], as: UInt64.self)
        else { return nil }
        self.start = start
        self.stop = stop
        self.repeats = []
    }

    func render(into output: inout [UInt8]) {
        if let bytes = verbatim.bytes {
            output.append(contentsOf: bytes)
        } else {
            output.append(contentsOf: "t=".utf8)
            SDPBytes.append(decimal: start, to: &output)
            output.append(SDPBytes.space)
            SDPBytes.append(decimal: stop, to: &output)
        }
        for line in repeats {
            output.append(contentsOf: "\r\nr=".utf8)
            SDPBytes.append(line, to: &output)
        }
    }
}
