/// ITU-T G.711 companding between 16-bit linear PCM and 8-bit μ-law or A-law, by the standard bit algorithms
/// (the 14-bit μ-law and 13-bit A-law linear ranges, scaled to 16 bits).
public enum G711 {
    private static let muLawBias: Int32 = 0x84
    private static let muLawClip: Int32 = 32635

    /// μ-law encoding of one sample (G.711 Table 2a); the code is transmitted with all bits inverted.
    @inline(__always)
    public static func muLaw(fromLinear sample: Int16) -> UInt8 {
        var value = Int32(sample)
        let sign: UInt8 = value < 0 ? 0x80 : 0x00
        if value < 0 { value = -value }
        value = min(value, muLawClip) + muLawBias
        let segment = UInt8(truncatingIfNeeded: max(0, 24 - Int(UInt32(value).leadingZeroBitCount)))
        // value is in 0x84...0x7FFF: its top bit sits at 7...14, giving segments 0...7.
        let mantissa = UInt8(truncatingIfNeeded: value >> (Int32(segment) + 3)) & 0x0F
        return ~(sign | segment << 4 | mantissa)
    }

    /// Linear value of a μ-law code.
    @inline(__always)
    public static func linear(fromMuLaw code: UInt8) -> Int16 {
        let inverted = ~code
        let segment = Int32((inverted >> 4) & 0x07)
        let magnitude = ((Int32(inverted & 0x0F) << 3) + muLawBias) << segment
        return Int16(inverted & 0x80 != 0 ? muLawBias - magnitude : magnitude - muLawBias)
    }

    /// A-law encoding of one sample (G.711 Table 1a); even bits are inverted on the line (XOR 0x55).
    @inline(__always)
    public static func aLaw(fromLinear sample: Int16) -> UInt8 {
        var value = Int32(sample) >> 3
        let mask: UInt8
        if value >= 0 {
            mask = 0xD5
        } else {
            mask = 0x55
            value = -value - 1
        }
        // 13-bit magnitude up to 4095: segment from the top bit, 0 and 1 share the same step.
        let segment: Int32 = value < 32 ? 0 : Int32(27 - UInt32(value).leadingZeroBitCount)
        guard segment < 8 else { return 0x7F ^ mask }
        let mantissa = segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F
        return (UInt8(truncatingIfNeeded: segment << 4) | UInt8(truncatingIfNeeded: mantissa)) ^ mask
    }

    /// Linear value of an A-law code.
    @inline(__always)
    public static func linear(fromALaw code: UInt8) -> Int16 {
        let value = code ^ 0x55
        var magnitude = Int32(value & 0x0F) << 4
        let segment = Int32((value & 0x70) >> 4)
        switch segment {
        case 0: magnitude += 8
        case 1: magnitude += 0x108
        default: magnitude = (magnitude + 0x108) << (segment - 1)
        }
        return Int16(value & 0x80 != 0 ? magnitude : -magnitude)
    }

    /// Encodes a block of samples.
    public static func encode(_ samples: some Collection<Int16>, law: Law) -> [UInt8] {
        switch law {
        case .muLaw: samples.map(muLaw(fromLinear:))
        case .aLaw: samples.map(aLaw(fromLinear:))
        }
    }

    /// Decodes a block of codes.
    public static func decode(_ codes: some Collection<UInt8>, law: Law) -> [Int16] {
        switch law {
        case .muLaw: codes.map(linear(fromMuLaw:))
        case .aLaw: codes.map(linear(fromALaw:))
        }
    }

    /// The two companding laws: μ-law (PCMU, North America and Japan) and A-law (PCMA, elsewhere).
    public enum Law: Sendable, Hashable {
        case muLaw
        case aLaw
    }
}
