import CallCore
import Logging
import Routing
import Synchronization

/// Concurrent bridged calls per `[[routing.customer]]`, shared by all
/// shards' B2BUAs: a call over the customer's `channels` is refused with 503
/// and Retry-After before anything is placed; emergency calls are neither
/// refused nor counted. The 80 % mark is logged once per crossing.
///
/// One mutex over a small dictionary, held for a comparison per call.
final class CustomerChannels: Sendable {
    struct Customer {
        var channels: ChannelCounter
        var retryAfter: Int
        /// Whether the 80 % warning was logged (again only after dropping below).
        var warned = false
        /// No longer configured: kept only while its calls last.
        var removed = false
    }

    private let customers = Mutex<[String: Customer]>([:])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The customers of a (re)loaded configuration: limits follow it, calls in progress keep their channels.
    func configure(_ settings: [CustomerSettings]) {
        customers.withLock { customers in
            var next: [String: Customer] = [:]
            for customer in settings {
                var entry = customers[customer.name] ?? Customer(channels: ChannelCounter(limit: nil), retryAfter: customer.retryAfter)
                entry.channels.limit = customer.channels == 0 ? nil : customer.channels
                entry.retryAfter = customer.retryAfter
                entry.removed = false
                next[customer.name] = entry
            }
            // A customer no longer configured keeps counting its calls in progress until they end.
            for (name, entry) in customers where next[name] == nil && entry.channels.inUse > 0 {
                var kept = entry
                kept.channels.limit = nil
                kept.removed = true
                next[name] = kept
            }
            customers = next
        }
    }

    /// Takes a channel of the call's customer, or refuses the call.
    func admit(_ accounting: CallAccounting) -> CallAdmission {
        guard let name = accounting.customer, accounting.callClass != .emergency else { return .admit }
        let (admission, warning) = customers.withLock { customers -> (CallAdmission, String?) in
            guard var customer = customers[name] else { return (.admit, nil) }
            defer { customers[name] = customer }
            guard customer.channels.acquire() else { return (.refuse(retryAfter: customer.retryAfter), nil) }
            guard let limit = customer.channels.limit, limit > 0 else { return (.admit, nil) }
            let high = customer.channels.inUse * 5 >= limit * 4
            let warning = high && !customer.warned ? "\(customer.channels.inUse) of \(limit) channels in use" : nil
            customer.warned = high
            return (.admit, warning)
        }
        if let warning { logger.warning("customer near its channel limit", metadata: ["customer": "\(name)", "detail": "\(warning)"]) }
        if case .refuse = admission {
            logger.notice("call refused: customer channel limit", metadata: ["customer": "\(name)", "source": "\(accounting.source)"])
        }
        return admission
    }

    /// Returns the channel of an admitted call.
    func release(_ accounting: CallAccounting) {
        guard let name = accounting.customer, accounting.callClass != .emergency else { return }
        customers.withLock { customers in
            guard var customer = customers[name] else { return }
            customer.channels.release()
            if let limit = customer.channels.limit, customer.channels.inUse * 5 < limit * 4 { customer.warned = false }
            if customer.removed && customer.channels.inUse == 0 {
                customers[name] = nil
            } else {
                customers[name] = customer
            }
        }
    }

    /// Channels in use of a customer (for `ctl` and tests).
    func inUse(_ name: String) -> Int {
        customers.withLock { $0[name]?.channels.inUse ?? 0 }
    }
}
