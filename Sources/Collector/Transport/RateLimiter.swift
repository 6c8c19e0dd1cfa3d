/// A token bucket shared by everything that calls one provider.
///
/// It starts full (`limit.requests` tokens) and refills continuously at the
/// limit's rate. `acquire` waits on the injected clock until a token is free;
/// after an HTTP 429 `pause(for:)` empties the bucket and holds every caller
/// until the pause ends (then one request may go and the bucket refills from
/// there), so a throttle never turns into a storm of retries.
public actor RateLimiter {
    public let limit: RateLimit
    private let clock: any Clock<Duration>
    private let timeSource: any TimeSource
    private var tokens: Double
    private var updatedAt: Timestamp
    private var pausedUntil: Timestamp?

    public init(limit: RateLimit, clock: any Clock<Duration>, timeSource: any TimeSource) {
        self.limit = limit
        self.clock = clock
        self.timeSource = timeSource
        self.tokens = Double(limit.requests)
        self.updatedAt = timeSource.now()
    }

    /// What is left right now.
    public struct Status: Sendable, Hashable {
        /// Whole requests that can be made at once.
        public var remaining: Int
        public var capacity: Int
        /// Set while a provider-imposed pause (after a 429) is running.
        public var pausedUntil: Timestamp?
    }

    public func status() -> Status {
        refill()
        return Status(remaining: Int(tokens), capacity: limit.requests, pausedUntil: pausedUntil)
    }

    /// How long a request made now would wait for a token.
    public func waitForNextToken() -> Duration {
        refill()
        let now = timeSource.now()
        if let pausedUntil, pausedUntil > now { return pausedUntil - now }
        guard tokens < 1 else { return .zero }
        return .nanoseconds(Int64(((1 - tokens) / limit.ratePerSecond * 1e9).rounded(.up)))
    }

    /// Takes one token, waiting for it when the bucket is empty.
    /// - Parameter maximumWait: when set, throws `RateLimiter.Exhausted` instead of waiting longer.
    public func acquire(maximumWait: Duration? = nil) async throws {
        while true {
            try Task.checkCancellation()
            let wait = waitForNextToken()
            if wait == .zero {
                tokens -= 1
                return
            }
            if let maximumWait, wait > maximumWait { throw Exhausted(wait: wait, limit: limit) }
            try await clock.sleep(for: wait)
        }
    }

    /// Empties the bucket and holds all callers for `duration` (a 429 or a throttle note).
    public func pause(for duration: Duration) {
        refill()
        tokens = 0
        let until = timeSource.now() + duration
        if pausedUntil.map({ until > $0 }) ?? true { pausedUntil = until }
    }

    /// Lowers the budget to what the provider says is left (`X-RateLimit-Remaining`).
    public func observe(remaining: Int) {
        refill()
        tokens = min(tokens, Double(max(remaining, 0)))
    }

    private func refill() {
        let now = timeSource.now()
        if let until = pausedUntil {
            guard now >= until else {
                updatedAt = now
                return
            }
            // One request may go at the end of the pause; the rest refills from there.
            pausedUntil = nil
            tokens = max(tokens, 1)
            updatedAt = until
        }
        let elapsed = max((now - updatedAt).secondsValue, 0)
        tokens = min(Double(limit.requests), tokens + elapsed * limit.ratePerSecond)
        updatedAt = now
    }

    /// The budget is spent and the next token is further away than the caller would wait.
    public struct Exhausted: Error, Sendable, Hashable, CustomStringConvertible {
        public var wait: Duration
        public var limit: RateLimit
        public var description: String { "rate limit \(limit) reached; next request allowed in \(wait.ageText)" }
    }
}
