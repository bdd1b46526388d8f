import Dispatch
import Synchronization

/// Answers from the nameserver kept for as long as their TTLs allow (RFC
/// 1035 7.4), shared by every lookup of the process: records for their
/// smallest TTL, and names or record types that do not exist for the TTL of
/// the SOA the nameserver sent with the negative answer (RFC 2308 5; without
/// an SOA nothing is kept). Server failures and timeouts are not kept.
///
/// Bounded: when full, expired entries go first, then those closest to
/// expiring. The clock is injectable so that expiry is testable without
/// waiting.
public final class DNSCache: Sendable {
    /// Monotonic nanoseconds.
    public typealias Clock = @Sendable () -> UInt64

    /// Lookups answered from the cache and lookups that had to ask, since creation.
    public struct Statistics: Sendable, Hashable {
        public var hits = 0
        public var misses = 0
        public var evictions = 0
    }

    private struct Key: Hashable {
        var name: String
        var type: UInt16
    }

    private struct Entry {
        var answer: Result<[DNSResourceRecord], DNSError>
        var expires: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var statistics = Statistics()
    }

    /// Most entries (one per name and type).
    public let capacity: Int
    /// The longest any answer is kept, whatever its TTL says, in seconds.
    public let maxTTL: UInt32
    private let now: Clock
    private let state = Mutex(State())

    public init(capacity: Int = 10_000, maxTTL: UInt32 = 86_400, clock: @escaping Clock = { DispatchTime.now().uptimeNanoseconds }) {
        self.capacity = max(1, capacity)
        self.maxTTL = maxTTL
        now = clock
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }
    public var count: Int { state.withLock { $0.entries.count } }

    /// The cached records for `name`/`type` (possibly none), or the cached
    /// NXDOMAIN as a failure; nil when nothing unexpired is cached. Counted
    /// as a hit or a miss.
    public func answer(_ name: String, _ type: DNSRecordType) -> Result<[DNSResourceRecord], DNSError>? {
        lookup(name, type, counting: true)
    }

    /// `answer` without counting, for a try that falls back to asking.
    func peek(_ name: String, _ type: DNSRecordType) -> Result<[DNSResourceRecord], DNSError>? {
        lookup(name, type, counting: false)
    }

    private func lookup(_ name: String, _ type: DNSRecordType, counting: Bool) -> Result<[DNSResourceRecord], DNSError>? {
        let key = Key(name: Self.canonical(name), type: type.rawValue)
        let t = now()
        return state.withLock { s in
            guard let entry = s.entries[key] else {
                if counting { s.statistics.misses += 1 }
                return nil
            }
            guard entry.expires > t else {
                s.entries[key] = nil
                if counting { s.statistics.misses += 1 }
                return nil
            }
            if counting { s.statistics.hits += 1 }
            return entry.answer
        }
    }

    /// Keeps what `response` (any RCODE) says about `name`/`type` for its TTL.
    /// Returns the lookup's outcome: the answer and additional records, or the error.
    @discardableResult
    public func store(_ response: DNSMessage, for name: String, type: DNSRecordType) -> Result<[DNSResourceRecord], DNSError> {
        let outcome: Result<[DNSResourceRecord], DNSError>
        do {
            let message = try DNSClient.verdict(response)
            outcome = .success(message.answers + message.additionals)
        } catch {
            outcome = .failure(error)
        }
        guard let ttl = Self.ttl(of: response, outcome: outcome), ttl > 0 else { return outcome }
        let expires = now() &+ UInt64(min(ttl, maxTTL)) * 1_000_000_000
        let key = Key(name: Self.canonical(name), type: type.rawValue)
        state.withLock { s in
            if s.entries[key] == nil, s.entries.count >= capacity { Self.makeRoom(&s, capacity: capacity, now: now()) }
            s.entries[key] = Entry(answer: outcome, expires: expires)
        }
        return outcome
    }

    /// Seconds to keep `outcome`: the smallest record TTL for data, the SOA's
    /// for "no such name" and "no such record" (RFC 2308 5); nil when it must not be kept.
    private static func ttl(of response: DNSMessage, outcome: Result<[DNSResourceRecord], DNSError>) -> UInt32? {
        switch outcome {
        case .success(let records) where !records.isEmpty && !response.answers.isEmpty:
            return records.map(\.ttl).min()
        case .success, .failure(.nameError):
            for record in response.authorities {
                if case .soa(_, _, _, _, _, _, let minimum) = record.data { return min(record.ttl, minimum) }
            }
            return nil
        case .failure:
            return nil
        }
    }

    /// Drops expired entries; if that is not enough, the eighth closest to expiring.
    private static func makeRoom(_ s: inout State, capacity: Int, now: UInt64) {
        let before = s.entries.count
        s.entries = s.entries.filter { $0.value.expires > now }
        if s.entries.count >= capacity {
            let drop = max(1, capacity / 8)
            for key in s.entries.sorted(by: { $0.value.expires < $1.value.expires }).prefix(drop).map(\.key) {
                s.entries[key] = nil
            }
        }
        s.statistics.evictions += before - s.entries.count
    }

    /// DNS names compare case-insensitively and without the trailing dot.
    private static func canonical(_ name: String) -> String {
        (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
    }
}
