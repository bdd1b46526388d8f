/// The highest nonce count (`nc`, RFC 7616 section 3.4) accepted per nonce,
/// so a request replayed with a count already seen is refused.
///
/// Memory is bounded by `capacity`. Entries leave when their nonce expires.
/// When the tracker is full, the entry seen first is dropped early and its
/// issue time becomes a watermark: from then on, a nonce issued at or
/// before the watermark that the tracker does not hold is reported
/// `.forgotten` rather than accepted, because its counts may have been lost.
/// The verifier answers that with a fresh challenge (`stale=true`), so a
/// full tracker costs phones an extra round trip, never opens a replay window.
///
/// Values are confined to their owner; a registrar that shards its work must
/// shard trackers by nonce, not by Call-ID, since a replay can carry any Call-ID.
public struct NonceCountTracker: Sendable {
    public let capacity: Int

    private struct Entry {
        var highest: UInt32
        let issuedAt: WallTime
        let expiresAt: WallTime
    }

    /// A nonce as the tracker keys it: its text, held inline when it is no
    /// longer than the nonces Switchboard issues (64 characters), so that
    /// recording a count for one read from a request allocates nothing.
    public struct Key: Sendable, Hashable {
        private enum Storage: Hashable {
            case inline(Inline)
            case text(String)
        }

        /// Up to 64 bytes in eight words, zero-padded, and the length.
        private struct Inline: Hashable {
            var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            var count: UInt8 = 0

            static func == (a: Inline, b: Inline) -> Bool {
                a.count == b.count && a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2
                    && a.words.3 == b.words.3 && a.words.4 == b.words.4 && a.words.5 == b.words.5 && a.words.6 == b.words.6
                    && a.words.7 == b.words.7
            }

            func hash(into hasher: inout Hasher) {
                withUnsafeBytes(of: words) { hasher.combine(bytes: $0) }
                hasher.combine(count)
            }
        }

        private let storage: Storage

        /// The nonce's text as bytes, as credentials carry it (valid UTF-8).
        public init(_ text: some Collection<UInt8>) {
            guard text.count <= 64 else {
                storage = .text(String(decoding: text, as: UTF8.self))
                return
            }
            var inline = Inline()
            inline.count = UInt8(text.count)
            withUnsafeMutableBytes(of: &inline.words) { words in
                for (i, b) in text.enumerated() { words[i] = b }
            }
            storage = .inline(inline)
        }

        public init(_ text: String) {
            self.init(text.utf8)
        }
    }

    private var entries: [Key: Entry] = [:]
    /// Nonces in the order first seen; `head` is the oldest still queued.
    private var order: [Key] = []
    private var head = 0
    /// The latest issue time among nonces dropped before they expired.
    private var watermark: WallTime?

    /// What recording a count found.
    public enum Outcome: Sendable, Hashable {
        /// The count is higher than any seen with this nonce; it is now the highest.
        case accepted
        /// The count is not higher than the last one accepted: a replay.
        case replayed(lastAccepted: UInt32)
        /// The nonce may have been used before the tracker had to drop it.
        case forgotten
    }

    public init(capacity: Int) {
        precondition(capacity > 0, "a nonce-count tracker needs room for one nonce")
        self.capacity = capacity
    }

    /// Nonces currently tracked.
    public var count: Int { entries.count }

    /// Records `nc` for `nonce` if it is higher than any accepted before.
    /// Call only once the request's digest is known correct, or anyone could
    /// raise a nonce's count and lock its owner out.
    public mutating func record(nonce: String, count nc: UInt32, issuedAt: WallTime, expiresAt: WallTime, now: WallTime) -> Outcome {
        record(nonce: Key(nonce), count: nc, issuedAt: issuedAt, expiresAt: expiresAt, now: now)
    }

    /// `record` for a nonce already made a key.
    public mutating func record(nonce: Key, count nc: UInt32, issuedAt: WallTime, expiresAt: WallTime, now: WallTime) -> Outcome {
        removeExpired(now: now)
        if let i = entries.index(forKey: nonce) {
            let highest = entries.values[i].highest
            guard nc > highest else { return .replayed(lastAccepted: highest) }
            entries.values[i].highest = nc
            return .accepted
        }
        if let watermark, issuedAt <= watermark { return .forgotten }
        while entries.count >= capacity, head < order.count {
            let oldest = order[head]
            head += 1
            if let dropped = entries.removeValue(forKey: oldest), dropped.expiresAt > now {
                watermark = max(watermark ?? dropped.issuedAt, dropped.issuedAt)
            }
        }
        entries[nonce] = Entry(highest: nc, issuedAt: issuedAt, expiresAt: expiresAt)
        order.append(nonce)
        compact()
        return .accepted
    }

    /// Drops the nonces at the front of the queue that have expired.
    public mutating func removeExpired(now: WallTime) {
        while head < order.count {
            let nonce = order[head]
            if let entry = entries[nonce], entry.expiresAt > now { break }
            entries.removeValue(forKey: nonce)
            head += 1
        }
        compact()
    }

    private mutating func compact() {
        if head > 64, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
