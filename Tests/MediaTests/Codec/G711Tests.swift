import Testing

@testable import Media

@Suite("G.711 (ITU-T G.711)")
struct G711Tests {
    /// G.711 Table 2a decoder output for μ-law segment s, step q, on the 14-bit scale: ((2q + 33) << s) - 33.
    static func muLawTableValue(segment: Int, step: Int) -> Int { ((2 * step + 33) << segment) - 33 }

    /// G.711 Table 1a decoder output for A-law on the 13-bit scale: segment 0 is 2q + 1, segment s ≥ 1 is (2q + 33) << (s - 1).
    static func aLawTableValue(segment: Int, step: Int) -> Int {
        segment == 0 ? 2 * step + 1 : (2 * step + 33) << (segment - 1)
    }

    @Test("G.711 Table 2a: every μ-law code decodes to the table value (×4 for 16-bit)")
    func muLawDecodeTable() {
        for code in 0...255 {
            let inverted = ~UInt8(code)
            let magnitude = Self.muLawTableValue(segment: Int(inverted >> 4 & 7), step: Int(inverted & 0x0F)) * 4
            let expected = inverted & 0x80 != 0 ? -magnitude : magnitude
            #expect(Int(G711.linear(fromMuLaw: UInt8(code))) == expected, "code \(code)")
        }
        #expect(G711.linear(fromMuLaw: 0xFF) == 0)
        #expect(G711.linear(fromMuLaw: 0x80) == 32124)
        #expect(G711.linear(fromMuLaw: 0x00) == -32124)
    }

    @Test("G.711 Table 1a: every A-law code decodes to the table value (×8 for 16-bit), even bits inverted")
    func aLawDecodeTable() {
        for code in 0...255 {
            let line = UInt8(code) ^ 0x55
            let magnitude = Self.aLawTableValue(segment: Int(line >> 4 & 7), step: Int(line & 0x0F)) * 8
            let expected = line & 0x80 != 0 ? magnitude : -magnitude
            #expect(Int(G711.linear(fromALaw: UInt8(code))) == expected, "code \(code)")
        }
        #expect(G711.linear(fromALaw: 0xD5) == 8)
        #expect(G711.linear(fromALaw: 0x55) == -8)
        #expect(G711.linear(fromALaw: 0xAA) == 32256)
        #expect(G711.linear(fromALaw: 0x2A) == -32256)
    }

    @Test("G.711: the encoders pick the code whose decision interval holds the sample, and decode∘encode is identity on codes")
    func encoders() {
        #expect(G711.muLaw(fromLinear: 0) == 0xFF)
        #expect(G711.muLaw(fromLinear: -1) == 0x7F)
        #expect(G711.muLaw(fromLinear: .max) == 0x80)
        #expect(G711.muLaw(fromLinear: .min) == 0x00)
        #expect(G711.aLaw(fromLinear: 0) == 0xD5)
        #expect(G711.aLaw(fromLinear: -1) == 0x55)
        #expect(G711.aLaw(fromLinear: .max) == 0xAA)
        #expect(G711.aLaw(fromLinear: .min) == 0x2A)
        for code in 0...255 {
            let byte = UInt8(code)
            // μ-law has two zeros (0xFF and 0x7F); both decode to 0, which encodes as 0xFF.
            if byte != 0x7F { #expect(G711.muLaw(fromLinear: G711.linear(fromMuLaw: byte)) == byte) }
            #expect(G711.aLaw(fromLinear: G711.linear(fromALaw: byte)) == byte)
        }
        // Quantization error stays within half a step of the segment: the codec is monotonic and close.
        var previousMu = Int16.min
        var previousA = Int16.min
        for sample in stride(from: Int(Int16.min), through: Int(Int16.max), by: 7) {
            let value = Int16(sample)
            let mu = G711.linear(fromMuLaw: G711.muLaw(fromLinear: value))
            let a = G711.linear(fromALaw: G711.aLaw(fromLinear: value))
            #expect(mu >= previousMu && a >= previousA)
            previousMu = mu
            previousA = a
            #expect(abs(Int(mu) - sample) <= max(8, abs(sample) / 16) + 132 / 2 || abs(sample) > 32124)
            #expect(abs(Int(a) - sample) <= max(16, abs(sample) / 16) || abs(sample) > 32256)
        }
    }
}
