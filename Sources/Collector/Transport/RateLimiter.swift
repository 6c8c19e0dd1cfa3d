/// The request budget of one provider account, enforced over a sliding window as
/// providers count it: any `limit.period` window holds at most `limit.requests` requests
/// (5/min means no 60 s span ever sees a sixth, not "a burst of 5, then one every 12 s").
///
/// `acquire` waits on the injected clock until the window has room; the wait ends promptly
/// when the task is cancelled. With a `ledger` (the store), each request is recorded when it is
/// sent, in one transaction with the check, so every process and run sharing the store shares
/// the budget (a daily quota stays a daily quota across `--once` runs and the board).
///
/// After a 429 or a throttle note, `pause(for:)` holds every caller until the pause ends
/// (recorded in the ledger too). The window then counts as full, freeing one slot at the end of
/// the pause and one every `period / requests` after it, so a throttle never turns into a burst.
public actor RateLimiter {
    public let limit: RateLimit
    /// A shorter limit the provider also enforces (Alpha Vantage's 1/s), counted in this process.
    package nonisolated let burst: RateLimit?
    /// Whose budget this is (`SourceConfiguration.rateLimitAccount`; never the key itself).
    public nonisolated let account: String
    /// Where the spend is shared with other processes and runs; nil keeps it in this process.
    public nonisolated let ledger: (any RequestLedger)?
    private let clock: any Clock<Duration>
    private let timeSource: any TimeSource
    /// Requests sent inside the window, oldest first (with a ledger: as last read from it, plus ours).
    private var sent: [Timestamp] = []
    /// Slots held without a request: after a pause, or when the provider reports fewer left.
    private var held: [Timestamp] = []
    private var pausedUntil: Timestamp?
    private var loadedFromLedger = false
    private let metrics: CollectorMetrics

    package init(
        limit: RateLimit, clock: any Clock<Duration>, timeSource: any TimeSource, account: String = "",
        ledger: (any RequestLedger)? = nil, burst: RateLimit? = nil, metrics: CollectorMetrics = .system
    ) {
        self.limit = limit
        self.burst = burst
        self.clock = clock
        self.timeSource = timeSource
        self.account = account
        self.ledger = ledger
        self.metrics = metrics
    }

    /// What is left right now.
    public struct Status: Sendable, Hashable {
        /// Requests that can be sent at once.
        package var remaining: Int
        package var capacity: Int
        /// Set while a provider-imposed pause (after a 429 or a throttle note) is running.
        public var pausedUntil: Timestamp?
        /// When the next slot frees up (nil when none is taken).
        package var refillsAt: Timestamp?

        package init(remaining: Int, capacity: Int, pausedUntil: Timestamp? = nil, refillsAt: Timestamp? = nil) {
            self.remaining = remaining
            self.capacity = capacity
            self.pausedUntil = pausedUntil
            self.refillsAt = refillsAt
        }

        /// The budget in words, e.g. `3 of 25 left; next back 2024-03-07 14:02:10 UTC`.
        public var summary: String {
            if let pausedUntil { return "paused by the provider until \(pausedUntil.utcDateText) \(pausedUntil.clockText) UTC" }
            var text = "\(remaining) of \(capacity) left"
            if let refillsAt, remaining < capacity {
                text += "; next back \(refillsAt.utcDateText) \(refillsAt.clockText) UTC"
            }
            return text
        }
    }

    /// The budget as it stands, read again from the ledger (other processes may have spent some).
    public func status() async -> Status {
        await reload()
        return currentStatus()
    }

    /// How long a request made now would wait (as far as this process knows).
    package func waitForNextToken() async -> Duration {
        await loadOnce()
        return localWait(at: timeSource.now())
    }

    /// Takes one slot in the window, waiting while it is full or a pause runs. Cancelling the
    /// task ends the wait at once with `CancellationError`.
    /// - Parameter maximumWait: when set, throws `RateLimiter.Exhausted` instead of waiting longer.
    package func acquire(maximumWait: Duration? = nil) async throws {
        await loadOnce()
        while true {
            try Task.checkCancellation()
            // Refused before it reserves a slot (a stopped request's next page): no budget is taken.
            if let takingSlot = Self.takingSlot, takingSlot.isRefused() { throw CancellationError() }
            let now = timeSource.now()
            var wait = localWait(at: now)
            if wait == .zero {
                guard let next = await reserve(at: now) else {
                    // A pause set while the ledger answered wins: the slot stays spent, nothing is sent.
                    if let pausedUntil, pausedUntil > timeSource.now() { continue }
                    recordBudget()
                    // Withdrawn at this very moment (a fleet hand-over): the slot stays spent, nothing is sent.
                    if let takingSlot = Self.takingSlot, !takingSlot.mayTake() { throw CancellationError() }
                    return
                }
                wait = max(next - now, .milliseconds(1))
            }
            if let maximumWait, wait > maximumWait { throw Exhausted(wait: wait, limit: limit) }
            if let refused = Self.takingSlot?.refused {
                try await sleep(for: wait, unless: refused)
            } else {
                try await clock.sleep(for: wait, purpose: "limiter")
            }
        }
    }

    /// Sleeps `wait` on the clock, unless the request is refused its slot first: then it throws
    /// `CancellationError` at once, having taken nothing.
    private func sleep(for wait: Duration, unless refused: @escaping @Sendable () async -> Void) async throws {
        let clock = clock
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await clock.sleep(for: wait, purpose: "limiter")
                return true
            }
            group.addTask {
                await refused()
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw CancellationError() }
        }
    }

    /// Asked, in the task of a request, when it takes its slot, just before it is sent: false
    /// withdraws it and `acquire` throws `CancellationError` (`ProviderRequests`: a fleet hand-over
    /// or a shutdown withdraws a history request that has not been spent yet, and stops a spent
    /// one before its next page).
    @TaskLocal package static var takingSlot: SlotTaking?

    /// What `takingSlot` asks. A struct, not a bare closure: the release build's task-local
    /// push of an optional closure type got no type metadata and crashed (bad pointer).
    package struct SlotTaking: Sendable {
        /// Asked as the request takes its slot: false sends nothing (the slot stays taken).
        package let mayTake: @Sendable () -> Bool
        /// Whether it may take no slot any more: asked before a slot is reserved.
        package let isRefused: @Sendable () -> Bool
        /// Returns once `isRefused` holds (or the task is cancelled): a wait for budget ends
        /// then with `CancellationError`. Nil: the wait ends only by cancellation.
        package let refused: (@Sendable () async -> Void)?

        package init(
            _ mayTake: @escaping @Sendable () -> Bool, isRefused: @escaping @Sendable () -> Bool = { false },
            refused: (@Sendable () async -> Void)? = nil
        ) {
            self.mayTake = mayTake
            self.isRefused = isRefused
            self.refused = refused
        }
    }

    /// Fetches a further page of a paginated request (`next_url`, `next_page_token`): nil when the
    /// request was stopped before that page took its slot (`SlotTaking`: a fleet hand-over or a
    /// shutdown), so nothing was sent and the caller returns the pages it has. A cancelled task
    /// still throws.
    package static func followingPage<T>(_ page: () async throws -> T) async throws -> T? {
        do {
            return try await page()
        } catch is CancellationError where !Task.isCancelled && takingSlot?.isRefused() == true {
            return nil
        }
    }

    /// Holds all callers for `duration` (a 429 or a throttle note); a shorter pause never cuts a
    /// longer one. The window counts as full when the pause ends (see the type's comment).
    /// Returns when the pause in force ends.
    @discardableResult
    package func pause(for duration: Duration) async -> Timestamp {
        let now = timeSource.now()
        let until = now + duration
        if let pausedUntil, pausedUntil >= until { return pausedUntil }
        pausedUntil = until
        holdWindow(endingAt: until, after: duration)
        recordBudget()
        do { try await ledger?.recordPause(account: account, until: until) } catch {
            // The pause still holds this process; other processes learn of it from their own 429.
        }
        return pausedUntil ?? until
    }

    /// When the pause running now ends (as far as this process knows), or nil.
    package func pauseEnd() -> Timestamp? {
        pausedUntil.flatMap { $0 > timeSource.now() ? $0 : nil }
    }

    /// Lowers the budget to what the provider says is left (`X-RateLimit-Remaining`).
    package func observe(remaining: Int) {
        let now = timeSource.now()
        prune(at: now)
        let free = limit.requests - sent.count - held.count
        let excess = free - max(remaining, 0)
        guard excess > 0 else { return }
        held.append(contentsOf: repeatElement(now, count: excess))
        held.sort()
        recordBudget()
    }

    // MARK: - The window

    /// The budget left as a metric, after each request taken, pause and lowered budget.
    private func recordBudget() {
        guard metrics.isOn else { return }
        let status = currentStatus()
        metrics.budget(account: account, remaining: status.remaining, capacity: status.capacity)
    }

    private func currentStatus() -> Status {
        let now = timeSource.now()
        prune(at: now)
        let taken = (sent + held).sorted()
        let paused = pausedUntil.flatMap { $0 > now ? $0 : nil }
        return Status(
            remaining: paused == nil ? max(limit.requests - taken.count, 0) : 0, capacity: limit.requests,
            pausedUntil: paused, refillsAt: taken.first.map { $0 + limit.period })
    }

    /// How long until the window has room and no pause runs, as far as this process knows.
    private func localWait(at now: Timestamp) -> Duration {
        prune(at: now)
        if let pausedUntil, pausedUntil > now { return pausedUntil - now }
        var wait = Self.wait(for: limit, taken: (sent + held).filter { $0 > now - limit.period }.sorted(), now: now)
        if let burst { wait = max(wait, Self.wait(for: burst, taken: sent.filter { $0 > now - burst.period }, now: now)) }
        return wait
    }

    /// How long until `taken` (sorted) leaves room for one more request under `limit`.
    private static func wait(for limit: RateLimit, taken: [Timestamp], now: Timestamp) -> Duration {
        guard taken.count >= limit.requests else { return .zero }
        // The slot of the request `requests` back frees when it leaves the window.
        let freedAt = taken[taken.count - limit.requests] + limit.period
        return max(freedAt - now, .zero)
    }

    /// Drops what has left the window `(now - period, now]`, and a pause that has ended.
    private func prune(at now: Timestamp) {
        let start = now - max(limit.period, burst?.period ?? .zero)
        sent.removeAll { $0 <= start }
        held.removeAll { $0 <= start }
        if let until = pausedUntil, until <= now { pausedUntil = nil }
    }

    /// Fills the window so that one slot frees at `end` and the rest return evenly over the
    /// next `min(period, pause)`: the budget comes back at the pace of the throttle, not at once.
    private func holdWindow(endingAt end: Timestamp, after pause: Duration) {
        let spacing = min(limit.period, max(pause, .milliseconds(1))) / limit.requests
        held = (0..<limit.requests).map { end - limit.period + spacing * $0 }
        sent.removeAll()
    }

    /// Records a request sent now: in the ledger when there is one (nil when recorded, else when
    /// to try again), and in this process's window.
    private func reserve(at now: Timestamp) async -> Timestamp? {
        if let ledger {
            do {
                if let next = try await ledger.reserveRequest(account: account, at: now, within: limit) {
                    await reload()
                    return next
                }
            } catch {
                // The store failed: keep to this process's own window rather than stop all requests.
            }
        }
        sent.append(now)
        sent.sort()
        return nil
    }

    private func loadOnce() async {
        guard !loadedFromLedger else { return }
        await reload()
    }

    /// Reads the window and any pause from the ledger (requests of every process and run).
    private func reload() async {
        guard let ledger else { return }
        let now = timeSource.now()
        do {
            let times = try await ledger.requestTimes(account: account, since: now - limit.period)
            let pause = try await ledger.pause(account: account, after: now)
            loadedFromLedger = true
            sent = times
            if let pause, pausedUntil.map({ pause > $0 }) ?? true {
                pausedUntil = pause
                holdWindow(endingAt: pause, after: pause - now)
            }
        } catch {
            // Unreadable: keep what this process knows.
        }
    }

    /// The budget is spent and the next slot is further away than the caller would wait.
    package struct Exhausted: Error, Sendable, Hashable, CustomStringConvertible {
        package var wait: Duration
        package var limit: RateLimit
        package var description: String { "rate limit \(limit) reached; next request allowed in \(wait.ageText)" }
    }
}
