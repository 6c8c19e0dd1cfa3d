import Synchronization

/// One `RateLimiter` per provider account, shared by every source, poller and
/// backfill that calls it. Sources of the same kind reading the same key
/// variable share a budget, as the provider counts it.
public final class RateLimiterRegistry: Sendable {
    private let limiters = Mutex<[String: RateLimiter]>([:])
    private let clock: any Clock<Duration>
    private let timeSource: any TimeSource

    public init(clock: any Clock<Duration>, timeSource: any TimeSource) {
        self.clock = clock
        self.timeSource = timeSource
    }

    /// The limiter for `account`, created with `limit` on first use.
    public func limiter(for account: String, limit: RateLimit) -> RateLimiter {
        limiters.withLock { table in
            if let existing = table[account] { return existing }
            let limiter = RateLimiter(limit: limit, clock: clock, timeSource: timeSource)
            table[account] = limiter
            return limiter
        }
    }
}
