/// MD5 (RFC 1321), for digest authentication's `MD5` algorithm (RFC 7616
/// section 3.4): HA2 and the response of each REGISTER hash a few short
/// inputs, and computing them here costs a few hundred instructions a
/// block, without the allocations and provider dispatch of an OpenSSL
/// digest context. Plain arithmetic on the input, no data-dependent
/// branches or table lookups.
enum MD5 {
    static let byteCount = 16

    /// `MD5(data)` written to the first 16 bytes of `out`.
    static func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= byteCount, "MD5 output buffer too small")
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        let full = data.count / 64 * 64
        var offset = 0
        while offset < full {
            compress(&state, UnsafeRawBufferPointer(rebasing: data[offset..<(offset + 64)]))
            offset += 64
        }
        // The rest, 0x80, zeros to 56 mod 64, and the length in bits (little-endian): one or two blocks.
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
            tail.initializeMemory(as: UInt8.self, repeating: 0)
            let rest = data.count - full
            if rest > 0 { UnsafeMutableRawBufferPointer(rebasing: tail[0..<rest]).copyMemory(from: UnsafeRawBufferPointer(rebasing: data[full...])) }
            tail[rest] = 0x80
            let blocks = rest < 56 ? 1 : 2
            let bits = UInt64(data.count) &* 8
            tail.storeBytes(of: bits.littleEndian, toByteOffset: blocks * 64 - 8, as: UInt64.self)
            for b in 0..<blocks { compress(&state, UnsafeRawBufferPointer(rebasing: tail[(b * 64)..<(b * 64 + 64)])) }
        }
        out.storeBytes(of: state.0.littleEndian, toByteOffset: 0, as: UInt32.self)
        out.storeBytes(of: state.1.littleEndian, toByteOffset: 4, as: UInt32.self)
        out.storeBytes(of: state.2.littleEndian, toByteOffset: 8, as: UInt32.self)
        out.storeBytes(of: state.3.littleEndian, toByteOffset: 12, as: UInt32.self)
    }

    @inline(__always)
    private static func rotate(_ x: UInt32, _ n: UInt32) -> UInt32 {
        x &<< n | x &>> (32 &- n)
    }

    /// One 64-byte block (RFC 1321 3.4), the four rounds written out.
    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawBufferPointer) {
        let m0 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let m1 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let m2 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let m3 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        let m4 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        let m5 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 20, as: UInt32.self))
        let m6 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
        let m7 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        let m8 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 32, as: UInt32.self))
        let m9 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 36, as: UInt32.self))
        let m10 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 40, as: UInt32.self))
        let m11 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 44, as: UInt32.self))
        let m12 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 48, as: UInt32.self))
        let m13 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 52, as: UInt32.self))
        let m14 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 56, as: UInt32.self))
        let m15 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 60, as: UInt32.self))
        var (a, b, c, d) = state
        a = b &+ rotate(a &+ ((b & c) | (~b & d)) &+ 0xd76aa478 &+ m0, 7)
        d = a &+ rotate(d &+ ((a & b) | (~a & c)) &+ 0xe8c7b756 &+ m1, 12)
        c = d &+ rotate(c &+ ((d & a) | (~d & b)) &+ 0x242070db &+ m2, 17)
        b = c &+ rotate(b &+ ((c & d) | (~c & a)) &+ 0xc1bdceee &+ m3, 22)
        a = b &+ rotate(a &+ ((b & c) | (~b & d)) &+ 0xf57c0faf &+ m4, 7)
        d = a &+ rotate(d &+ ((a & b) | (~a & c)) &+ 0x4787c62a &+ m5, 12)
        c = d &+ rotate(c &+ ((d & a) | (~d & b)) &+ 0xa8304613 &+ m6, 17)
        b = c &+ rotate(b &+ ((c & d) | (~c & a)) &+ 0xfd469501 &+ m7, 22)
        a = b &+ rotate(a &+ ((b & c) | (~b & d)) &+ 0x698098d8 &+ m8, 7)
        d = a &+ rotate(d &+ ((a & b) | (~a & c)) &+ 0x8b44f7af &+ m9, 12)
        c = d &+ rotate(c &+ ((d & a) | (~d & b)) &+ 0xffff5bb1 &+ m10, 17)
        b = c &+ rotate(b &+ ((c & d) | (~c & a)) &+ 0x895cd7be &+ m11, 22)
        a = b &+ rotate(a &+ ((b & c) | (~b & d)) &+ 0x6b901122 &+ m12, 7)
        d = a &+ rotate(d &+ ((a & b) | (~a & c)) &+ 0xfd987193 &+ m13, 12)
        c = d &+ rotate(c &+ ((d & a) | (~d & b)) &+ 0xa679438e &+ m14, 17)
        b = c &+ rotate(b &+ ((c & d) | (~c & a)) &+ 0x49b40821 &+ m15, 22)
        a = b &+ rotate(a &+ ((d & b) | (~d & c)) &+ 0xf61e2562 &+ m1, 5)
        d = a &+ rotate(d &+ ((c & a) | (~c & b)) &+ 0xc040b340 &+ m6, 9)
        c = d &+ rotate(c &+ ((b & d) | (~b & a)) &+ 0x265e5a51 &+ m11, 14)
        b = c &+ rotate(b &+ ((a & c) | (~a & d)) &+ 0xe9b6c7aa &+ m0, 20)
        a = b &+ rotate(a &+ ((d & b) | (~d & c)) &+ 0xd62f105d &+ m5, 5)
        d = a &+ rotate(d &+ ((c & a) | (~c & b)) &+ 0x02441453 &+ m10, 9)
        c = d &+ rotate(c &+ ((b & d) | (~b & a)) &+ 0xd8a1e681 &+ m15, 14)
        b = c &+ rotate(b &+ ((a & c) | (~a & d)) &+ 0xe7d3fbc8 &+ m4, 20)
        a = b &+ rotate(a &+ ((d & b) | (~d & c)) &+ 0x21e1cde6 &+ m9, 5)
        d = a &+ rotate(d &+ ((c & a) | (~c & b)) &+ 0xc33707d6 &+ m14, 9)
        c = d &+ rotate(c &+ ((b & d) | (~b & a)) &+ 0xf4d50d87 &+ m3, 14)
        b = c &+ rotate(b &+ ((a & c) | (~a & d)) &+ 0x455a14ed &+ m8, 20)
        a = b &+ rotate(a &+ ((d & b) | (~d & c)) &+ 0xa9e3e905 &+ m13, 5)
        d = a &+ rotate(d &+ ((c & a) | (~c & b)) &+ 0xfcefa3f8 &+ m2, 9)
        c = d &+ rotate(c &+ ((b & d) | (~b & a)) &+ 0x676f02d9 &+ m7, 14)
        b = c &+ rotate(b &+ ((a & c) | (~a & d)) &+ 0x8d2a4c8a &+ m12, 20)
        a = b &+ rotate(a &+ (b ^ c ^ d) &+ 0xfffa3942 &+ m5, 4)
        d = a &+ rotate(d &+ (a ^ b ^ c) &+ 0x8771f681 &+ m8, 11)
        c = d &+ rotate(c &+ (d ^ a ^ b) &+ 0x6d9d6122 &+ m11, 16)
        b = c &+ rotate(b &+ (c ^ d ^ a) &+ 0xfde5380c &+ m14, 23)
        a = b &+ rotate(a &+ (b ^ c ^ d) &+ 0xa4beea44 &+ m1, 4)
        d = a &+ rotate(d &+ (a ^ b ^ c) &+ 0x4bdecfa9 &+ m4, 11)
        c = d &+ rotate(c &+ (d ^ a ^ b) &+ 0xf6bb4b60 &+ m7, 16)
        b = c &+ rotate(b &+ (c ^ d ^ a) &+ 0xbebfbc70 &+ m10, 23)
        a = b &+ rotate(a &+ (b ^ c ^ d) &+ 0x289b7ec6 &+ m13, 4)
        d = a &+ rotate(d &+ (a ^ b ^ c) &+ 0xeaa127fa &+ m0, 11)
        c = d &+ rotate(c &+ (d ^ a ^ b) &+ 0xd4ef3085 &+ m3, 16)
        b = c &+ rotate(b &+ (c ^ d ^ a) &+ 0x04881d05 &+ m6, 23)
        a = b &+ rotate(a &+ (b ^ c ^ d) &+ 0xd9d4d039 &+ m9, 4)
        d = a &+ rotate(d &+ (a ^ b ^ c) &+ 0xe6db99e5 &+ m12, 11)
        c = d &+ rotate(c &+ (d ^ a ^ b) &+ 0x1fa27cf8 &+ m15, 16)
        b = c &+ rotate(b &+ (c ^ d ^ a) &+ 0xc4ac5665 &+ m2, 23)
        a = b &+ rotate(a &+ (c ^ (b | ~d)) &+ 0xf4292244 &+ m0, 6)
        d = a &+ rotate(d &+ (b ^ (a | ~c)) &+ 0x432aff97 &+ m7, 10)
        c = d &+ rotate(c &+ (a ^ (d | ~b)) &+ 0xab9423a7 &+ m14, 15)
        b = c &+ rotate(b &+ (d ^ (c | ~a)) &+ 0xfc93a039 &+ m5, 21)
        a = b &+ rotate(a &+ (c ^ (b | ~d)) &+ 0x655b59c3 &+ m12, 6)
        d = a &+ rotate(d &+ (b ^ (a | ~c)) &+ 0x8f0ccc92 &+ m3, 10)
        c = d &+ rotate(c &+ (a ^ (d | ~b)) &+ 0xffeff47d &+ m10, 15)
        b = c &+ rotate(b &+ (d ^ (c | ~a)) &+ 0x85845dd1 &+ m1, 21)
        a = b &+ rotate(a &+ (c ^ (b | ~d)) &+ 0x6fa87e4f &+ m8, 6)
        d = a &+ rotate(d &+ (b ^ (a | ~c)) &+ 0xfe2ce6e0 &+ m15, 10)
        c = d &+ rotate(c &+ (a ^ (d | ~b)) &+ 0xa3014314 &+ m6, 15)
        b = c &+ rotate(b &+ (d ^ (c | ~a)) &+ 0x4e0811a1 &+ m13, 21)
        a = b &+ rotate(a &+ (c ^ (b | ~d)) &+ 0xf7537e82 &+ m4, 6)
        d = a &+ rotate(d &+ (b ^ (a | ~c)) &+ 0xbd3af235 &+ m11, 10)
        c = d &+ rotate(c &+ (a ^ (d | ~b)) &+ 0x2ad7d2bb &+ m2, 15)
        b = c &+ rotate(b &+ (d ^ (c | ~a)) &+ 0xeb86d391 &+ m9, 21)
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
