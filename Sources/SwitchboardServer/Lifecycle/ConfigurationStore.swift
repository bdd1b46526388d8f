/// Holds the snapshot in force. Readers take `current` once per unit of work
/// (a transaction, a call) and keep it; a reload replaces it in one step, so
/// nobody ever sees half of an old and half of a new configuration.
public final class ConfigurationStore: Sendable {
    private let snapshot: LockedValue<ConfigurationSnapshot>

    public init(_ initial: ConfigurationSnapshot) {
        self.snapshot = LockedValue(initial)
    }

    public var current: ConfigurationSnapshot {
        snapshot.current
    }

    /// Installs `makeNext(current)` as the new snapshot and returns the one it replaced.
    @discardableResult
    public func replace(
        _ makeNext: (ConfigurationSnapshot) -> ConfigurationSnapshot
    ) -> (old: ConfigurationSnapshot, new: ConfigurationSnapshot) {
        snapshot.withLock { current in
            let old = current
            current = makeNext(old)
            return (old, current)
        }
    }
}
