/// Timing and buffering of a `LiveStreamService`.
package struct LiveStreamSettings: Sendable {
    /// Waits between reconnects: doubling from `initial` up to `maximum`.
    package var backoff: RetryBackoff
    /// Spreads each backoff wait (so many clients do not reconnect in step); tests pass `{ $0 }`.
    package var jitter: @Sendable (Duration) -> Duration
    /// A connection that stayed up this long resets the backoff.
    package var stableAfter: Duration
    /// No market data for this long while a subscribed symbol's market is open: the stream is stale.
    package var staleAfter: Duration
    /// How long a connection may take from dialing (TCP, TLS, upgrade) through the greeting and
    /// authentication until the stream is live; measured on `connectClock`:
    /// a network timeout, in real time even when the schedule runs on a test's manual clock
    /// (a connection that stalls in the WebSocket library is then still given up).
    package var connectTimeout: Duration
    package var connectClock: any Clock<Duration>
    /// Trades and bars waiting for the pipeline before the reader delivers them itself.
    package var bufferCapacity: Int
    /// A poller stands in while the stream is down: a failure the stream retries by itself is
    /// then logged, not shown as the source's health (the poller's state is the truth);
    /// a stop or a long pause is still shown.
    package var pollingFallback: Bool

    package init(
        backoff: RetryBackoff = RetryBackoff(initial: .seconds(1), maximum: .seconds(60)),
        jitter: @escaping @Sendable (Duration) -> Duration = { $0 * Double.random(in: 0.75...1.25) },
        stableAfter: Duration = .seconds(60), staleAfter: Duration = .seconds(30), bufferCapacity: Int = 10_000,
        pollingFallback: Bool = false, connectTimeout: Duration = .seconds(15),
        connectClock: any Clock<Duration> = ContinuousClock()
    ) {
        self.connectTimeout = connectTimeout
        self.connectClock = connectClock
        self.pollingFallback = pollingFallback
        self.backoff = backoff
        self.jitter = jitter
        self.stableAfter = stableAfter
        self.staleAfter = staleAfter
        self.bufferCapacity = bufferCapacity
    }

    /// Starts the connect deadline now: the returned function sleeps on `connectClock` until
    /// `connectTimeout` after this call, however late it is called.
    func connectDeadline() -> @Sendable () async throws -> Void {
        func start<C: Clock<Duration>>(_ clock: C) -> @Sendable () async throws -> Void {
            let deadline = clock.now.advanced(by: connectTimeout)
            return { try await clock.sleep(until: deadline, purpose: "connect deadline") }
        }
        return start(connectClock)
    }
}
