/// Per-source sequence number state from RFC 3550 A.1: probation for new sources, cycle counting for the
/// extended sequence number, resynchronisation after a large jump, and the loss figures of A.3.
public struct RTPSequenceTracker: Sendable, Hashable {
    /// A.1: a jump of more than this many ahead is a restart, not loss.
    public static let maxDropout: UInt16 = 3000
    /// A.1: packets this far behind count as misordered duplicates.
    public static let maxMisorder: UInt16 = 100
    /// A.1: sequential packets needed before a source is valid.
    public static let minSequential = 2

    private static let sequenceModulus: UInt32 = 1 << 16

    public private(set) var maxSequence: UInt16
    /// Shifted count of sequence number cycles (a multiple of 2^16).
    public private(set) var cycles: UInt32
    public private(set) var baseSequence: UInt32
    private var badSequence: UInt32
    private var probation: Int
    /// Packets accepted.
    public private(set) var received: UInt32
    private var expectedPrior: UInt32
    private var receivedPrior: UInt32

    /// Starts tracking at the first packet seen (A.1 `init_seq` with probation); pass that packet to
    /// ``update(_:)`` as well.
    public init(firstSequence: UInt16) {
        maxSequence = firstSequence &- 1
        cycles = 0
        baseSequence = UInt32(firstSequence)
        badSequence = Self.sequenceModulus + 1
        probation = Self.minSequential
        received = 0
        expectedPrior = 0
        receivedPrior = 0
    }

    private mutating func reset(to sequence: UInt16) {
        baseSequence = UInt32(sequence)
        maxSequence = sequence
        badSequence = Self.sequenceModulus + 1
        cycles = 0
        received = 0
        receivedPrior = 0
        expectedPrior = 0
    }

    /// True once probation has passed.
    public var isValid: Bool { probation == 0 }

    /// Feeds one packet's sequence number; false when A.1 says the packet is not (yet) valid.
    public mutating func update(_ sequence: UInt16) -> Bool {
        let delta = sequence &- maxSequence
        if probation > 0 {
            if sequence == maxSequence &+ 1 {
                probation -= 1
                maxSequence = sequence
                if probation == 0 {
                    reset(to: sequence)
                    received += 1
                    return true
                }
            } else {
                probation = Self.minSequential - 1
                maxSequence = sequence
            }
            return false
        } else if delta < Self.maxDropout {
            if sequence < maxSequence { cycles &+= Self.sequenceModulus }
            maxSequence = sequence
        } else if UInt32(delta) <= Self.sequenceModulus - UInt32(Self.maxMisorder) {
            // A very large jump: a restarted source if the next packet follows this one.
            if UInt32(sequence) == badSequence {
                reset(to: sequence)
            } else {
                badSequence = (UInt32(sequence) + 1) & (Self.sequenceModulus - 1)
                return false
            }
        }
        // Otherwise a duplicate or misordered packet: counted, max unchanged.
        received += 1
        return true
    }

    /// Highest sequence number with the cycle count (A.1, the "extended highest sequence number" of 6.4.1).
    public var extendedHighestSequence: UInt32 { cycles &+ UInt32(maxSequence) }

    /// Packets expected so far (A.3).
    public var expected: UInt32 { extendedHighestSequence &- baseSequence &+ 1 }

    /// Cumulative packets lost (A.3), clamped to the signed 24 bits a report block carries.
    public var cumulativeLost: Int32 {
        let lost = Int64(expected) - Int64(received)
        return Int32(max(-0x80_0000, min(0x7F_FFFF, lost)))
    }

    /// Fraction lost since the previous call, as the 8-bit fixed-point value of a report block (A.3).
    public mutating func takeFractionLost() -> UInt8 {
        let expectedInterval = expected &- expectedPrior
        expectedPrior = expected
        let receivedInterval = received &- receivedPrior
        receivedPrior = received
        let lostInterval = Int64(expectedInterval) - Int64(receivedInterval)
        guard expectedInterval != 0, lostInterval > 0 else { return 0 }
        return UInt8(min(255, (lostInterval << 8) / Int64(expectedInterval)))
    }
}
