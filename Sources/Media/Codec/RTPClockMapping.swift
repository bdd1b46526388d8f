/// Carries RTP timestamps from one clock rate to another (48 kHz Opus, RFC 7587 4.1, against 8 kHz G.711),
/// step by step so that 32-bit wrap-around on either side is harmless.
struct RTPClockMapping {
    let inputRate: Int64
    let outputRate: Int64
    private var last: (input: UInt32, output: UInt32)?

    init(inputRate: UInt32, outputRate: UInt32) {
        self.inputRate = Int64(inputRate)
        self.outputRate = Int64(outputRate)
    }

    /// Output timestamp for `input`; moves the reference forward when `input` is newer.
    mutating func map(_ input: UInt32) -> UInt32 {
        let output = peek(input)
        if let last, Int32(bitPattern: input &- last.input) <= 0 { return output }
        last = (input, output)
        return output
    }

    /// Output timestamp for `input` without moving the reference (RTCP, late packets).
    func peek(_ input: UInt32) -> UInt32 {
        guard let last else {
            return UInt32(truncatingIfNeeded: Int64(input) * outputRate / inputRate)
        }
        let delta = Int64(Int32(bitPattern: input &- last.input))
        return last.output &+ UInt32(truncatingIfNeeded: delta * outputRate / inputRate)
    }

    /// A duration in input clock units, in output clock units.
    func scale(_ duration: Int) -> Int { Int(Int64(duration) * outputRate / inputRate) }

    /// Restarts from a new input timestamp that continues the output `gap` output units after the last one.
    mutating func rebase(input: UInt32, outputGap: Int) {
        guard let last else { return }
        self.last = (input, last.output &+ UInt32(truncatingIfNeeded: outputGap))
    }
}
