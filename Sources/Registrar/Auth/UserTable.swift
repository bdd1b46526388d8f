/// Every user who may authenticate, held in memory so that checking
/// credentials never reads the store on a shard's queue. Loaded whole when
/// the registrar starts, then kept current from the store's user change log
/// (`UserChanges`), which also records what `switchboard user add|remove`
/// writes from another process.
///
/// Compact, since a registrar may hold a user per binding: users are grouped
/// by realm (stored once) and each HA1 is kept as raw bytes, not hex text.
/// `user(username:realm:)` gives back the record exactly as it was stored.
///
/// A value: its owner confines it (the registrar keeps it behind its lock).
public struct UserTable: Sendable, Equatable {
    /// A user's identity: digest credentials are per realm (RFC 7616 section 3.4.2).
    public struct Key: Sendable, Hashable {
        public var username: String
        public var realm: String

        public init(username: String, realm: String) {
            self.username = username
            self.realm = realm
        }
    }

    /// One user: the HA1s in lowercase hex decoded into `raw`, one after the
    /// other in `DigestAlgorithm.allCases` order of the bits set in `present`;
    /// an HA1 that is not lowercase hex of its length is kept as text.
    struct Entry: Sendable, Equatable {
        var raw: [UInt8]
        var present: UInt8
        var text: [DigestAlgorithm: String]?
        var note: String
    }

    private var realms: [String: [String: Entry]] = [:]
    /// Users held.
    public private(set) var count = 0

    public init(_ users: some Sequence<UserRecord> = []) {
        for user in users { add(user) }
    }

    /// Adds the user, or replaces the one with the same username and realm.
    public mutating func add(_ user: UserRecord) {
        set(Key(username: user.username, realm: user.realm), to: user)
    }

    public func user(username: String, realm: String) -> UserRecord? {
        guard let entry = realms[realm]?[username] else { return nil }
        return UserRecord(username: username, realm: realm, ha1: Self.ha1(of: entry), note: entry.note)
    }

    /// The user's name and HA1 for one algorithm, as the verifier reads them:
    /// the raw HA1 is a slice of the entry, not hex text made for the lookup.
    public func digestUser(username: String, realm: String, algorithm: DigestAlgorithm) -> DigestUser? {
        guard let entry = realms[realm]?[username] else { return nil }
        var offset = 0
        for (bit, candidate) in DigestAlgorithm.allCases.enumerated() where entry.present & (1 << bit) != 0 {
            let n = candidate.digestByteCount
            if candidate == algorithm { return DigestUser(username: username, ha1: .raw(entry.raw[offset..<(offset + n)])) }
            offset += n
        }
        return DigestUser(username: username, ha1: entry.text?[algorithm].map { .text($0) })
    }

    /// Applies changes read from the store: each changed user's record, or its removal.
    public mutating func apply(_ changes: UserChanges) {
        for (key, record) in changes.users { set(key, to: record) }
    }

    private mutating func set(_ key: Key, to record: UserRecord?) {
        if let record {
            if realms[key.realm, default: [:]].updateValue(Self.entry(of: record), forKey: key.username) == nil { count += 1 }
        } else if realms[key.realm]?.removeValue(forKey: key.username) != nil {
            count -= 1
            if realms[key.realm]?.isEmpty == true { realms[key.realm] = nil }
        }
    }

    private static func entry(of record: UserRecord) -> Entry {
        var entry = Entry(raw: [], present: 0, text: nil, note: record.note)
        for (bit, algorithm) in DigestAlgorithm.allCases.enumerated() {
            guard let hex = record.ha1[algorithm] else { continue }
            if let bytes = Hex.decodeLowercase(hex, count: algorithm.digestByteCount) {
                entry.raw += bytes
                entry.present |= 1 << bit
            } else {
                entry.text = (entry.text ?? [:]).merging([algorithm: hex]) { $1 }
            }
        }
        return entry
    }

    private static func ha1(of entry: Entry) -> [DigestAlgorithm: String] {
        var out = entry.text ?? [:]
        var offset = 0
        for (bit, algorithm) in DigestAlgorithm.allCases.enumerated() where entry.present & (1 << bit) != 0 {
            let n = algorithm.digestByteCount
            out[algorithm] = Hex.lowercase(entry.raw[offset..<(offset + n)])
            offset += n
        }
        return out
    }
}
