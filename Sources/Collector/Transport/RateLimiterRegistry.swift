import Synchronization

/// One `RateLimiter` per provider account, shared by every source, poller and
/// backfill that calls it. Sources of the same kind reading the same key
/// variable share a budget, as the provider counts it; with a `ledger` (the
/// store) that budget is also shared with other processes and later runs.
public final class RateLimiterRegistry: Sendable {
    private let limiters = Mutex<[String: RateLimiter]>([:])
    private let clock: any Clock<Duration>
    private let timeSource: any TimeSource
    package let ledger: (any RequestLedger)?
    private let metrics: CollectorMetrics

    public init(
        clock: any Clock<Duration>, timeSource: any TimeSource, ledger: (any RequestLedger)? = nil,
        metrics: CollectorMetrics = .system
    ) {
        self.metrics = metrics
        self.clock = clock
        self.timeSource = timeSource
        self.ledger = ledger
    }

    /// The limiter for `account`, created with `limit` (and `burst`) on first use.
    package func limiter(for account: String, limit: RateLimit, burst: RateLimit? = nil) -> RateLimiter {
        limiters.withLock { table in
            if let existing = table[account] { return existing }
            let limiter = RateLimiter(
                limit: limit, clock: clock, timeSource: timeSource, account: account, ledger: ledger, burst: burst,
                metrics: metrics)
            table[account] = limiter
            return limiter
        }
    }
}
