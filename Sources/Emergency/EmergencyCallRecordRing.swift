/// The last `capacity` emergency calls, newest first when read: a bounded
/// in-memory view for `switchboard ctl emergency`, whatever the call rate.
/// A value; the owner confines it to one queue.
public struct EmergencyCallRecordRing: Sendable {
    public let capacity: Int
    private var storage: [EmergencyCallRecord] = []
    /// Where the next record goes once the ring is full.
    private var head = 0
    /// Records ever appended, overwritten ones included.
    public private(set) var totalRecorded = 0

    /// `capacity` below 1 is taken as 1.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    public var count: Int { storage.count }

    public mutating func append(_ record: EmergencyCallRecord) {
        totalRecorded += 1
        if storage.count < capacity {
            storage.append(record)
        } else {
            storage[head] = record
            head = (head + 1) % capacity
        }
    }

    /// Replaces the record with the same Call-ID (attempts added as the
    /// call proceeds); appends it if it has already been overwritten or is new.
    public mutating func update(_ record: EmergencyCallRecord) {
        if let i = storage.firstIndex(where: { $0.callID == record.callID }) {
            storage[i] = record
        } else {
            append(record)
        }
    }

    /// Newest first.
    public var recent: [EmergencyCallRecord] {
        guard storage.count == capacity else { return storage.reversed() }
        return Array((storage[head...] + storage[..<head]).reversed())
    }
}
