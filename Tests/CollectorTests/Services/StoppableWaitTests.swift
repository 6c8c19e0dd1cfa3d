import Collector
import CollectorTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

private let F = MarketFixtures.self

/// A source whose every request first takes a token from its rate limiter, waiting as long
/// as the limiter says (as provider clients do), and which tells when a request reached it.
private final class WaitingSource: MarketDataSource, Sendable {
    let id: SourceID = "waiting"
    let kind = "waiting"
    let capabilities: SourceCapabilities = [.historyBars, .latestQuotes]
    let quoteSymbolsPerRequest = 1
    let rateLimiter: RateLimiter?
    /// "history AAPL 1Day", "quotes AAPL": each request as it reaches the limiter.
    let reached: AsyncStream<String>
    private let reach: AsyncStream<String>.Continuation

    init(limiter: RateLimiter) {
        rateLimiter = limiter
        (reached, reach) = AsyncStream.makeStream()
    }

    func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws -> [Bar] {
        reach.yield("history \(symbol) \(timeframe.rawValue)")
        try await rateLimiter?.acquire()
        return []
    }

    func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        reach.yield("quotes \(symbols.map(\.rawValue).joined(separator: ","))")
        try await rateLimiter?.acquire()
        return []
    }
}

/// A history source every request of which the provider throttles (HTTP 429).
private struct ThrottledHistorySource: MarketDataSource {
    let id: SourceID = "throttled"
    let kind = "throttled"
    let capabilities: SourceCapabilities = [.historyBars]

    func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws -> [Bar] {
        throw ProviderError(
            source: id, kind: .rateLimited(retryAfter: .seconds(79_200)), endpoint: "/bars", message: "rate limit exceeded")
    }
}

/// `base`, telling each sleep as it starts: an event a test can wait for. The wake-up time is
/// fixed before it is told, so advancing `base` afterwards wakes the sleeper even when it has
/// not reached `base` yet.
private struct ReportingClock: Clock {
    typealias Instant = ManualClock.Instant
    let base: ManualClock
    let sleeps: AsyncStream<Duration>.Continuation

    var now: Instant { base.now }
    var minimumResolution: Duration { base.minimumResolution }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        sleeps.yield(deadline.offset)
        try await base.sleep(until: deadline, tolerance: tolerance)
    }
}

/// Every wait in the collector ends on graceful shutdown (SIGINT, SIGTERM, `q`, the `--once`
/// deadline), even a rate-limiter wait or a throttle pause of hours: the service group waits
/// for its services, so one stuck service would hold the whole program.
@Suite("Stoppable waits")
struct StoppableWaitTests {
    let clock = ManualClock()
    let symbols = ["AAPL", "MSFT"].map(F.symbol)

    /// A limiter in the pause a daily-quota note starts (22 hours).
    func pausedLimiter() async -> RateLimiter {
        let limiter = RateLimiter(limit: RateLimit(requests: 5, per: .seconds(60)), clock: clock, timeSource: clock)
        await limiter.pause(for: .seconds(22 * 3_600))
        return limiter
    }

    func state(for source: some MarketDataSource) -> MarketState {
        MarketState(watchlist: symbols, sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
    }

    fileprivate func backfill(_ source: WaitingSource, state: MarketState, progress: BackfillProgress) -> BackfillService {
        BackfillService(
            source: source, watched: WatchedSymbols(symbols), store: InMemoryStore(), state: state,
            pipeline: IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet()), progress: progress,
            depth: .init(dailyDays: 30, minuteDays: 1, recentMinuteBars: 10), timeSource: clock, logger: .quiet())
    }

    @Test func backfillStopsDuringAThrottlePauseAndLeavesItsWindowsPending() async throws {
        let source = WaitingSource(limiter: await pausedLimiter())
        let progress = BackfillProgress(sources: [source.id])
        let group = ServiceGroup(services: [backfill(source, state: state(for: source), progress: progress)], logger: .quiet())
        let running = Task { try await group.run() }
        #expect(await source.reached.first { _ in true } == "history AAPL 1Day")
        await group.triggerGracefulShutdown()
        try await withSafetyLimit { try await running.value }

        #expect(clock.elapsed == .zero, "stopped while the pause was still running")
        let entry = try #require(await progress.report().first)
        #expect(!entry.finished, "an interrupted start-up backfill is not finished")
        #expect(entry.errors.isEmpty, "being stopped is not a failure")
        #expect(
            entry.pending.map(\.description) == [
                "AAPL 1Day bars (up to 30 days)", "AAPL 1Min bars (up to 1 day)", "MSFT 1Day bars (up to 30 days)",
                "MSFT 1Min bars (up to 1 day)"
            ], "every window not fetched stays pending for the next run")
    }

    @Test func aThrottledWindowIsNotFetchedAndStaysPending() async throws {
        let source = ThrottledHistorySource()
        let progress = BackfillProgress(sources: [source.id])
        let state = MarketState(
            watchlist: [symbols[0]], sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
        let service = BackfillService(
            source: source, watched: WatchedSymbols([symbols[0]]), store: InMemoryStore(), state: state,
            pipeline: IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet()), progress: progress,
            depth: .init(dailyDays: 30, minuteDays: 0, recentMinuteBars: 10), timeSource: clock, logger: .quiet())
        #expect(await service.backfill([symbols[0]]), "every window was tried")
        let entry = try #require(await progress.report().first)
        #expect(
            entry.pending.map(\.description) == ["AAPL 1Day bars (up to 30 days)"],
            "a throttle is no answer: the window is still to fetch")
        #expect(entry.errors.count == 1)
    }

    @Test func theOnceDeadlineEndsAGroupWhoseBackfillWaitsForTheLimiter() async throws {
        // A 5-a-minute plan whose budget is spent: the next request waits 12 s, past the deadline.
        let limiter = RateLimiter(limit: RateLimit(requests: 5, per: .seconds(60)), clock: clock, timeSource: clock)
        for _ in 0..<5 { try await limiter.acquire() }
        let source = WaitingSource(limiter: limiter)
        let progress = BackfillProgress(sources: [source.id])
        let state = state(for: source)
        let outcome = CompletionWatcher.OutcomeBox()
        let deadlines = AsyncStream<Duration>.makeStream()
        let watcher = CompletionWatcher(
            state: state, backfill: progress, deadline: .seconds(5),
            clock: ReportingClock(base: clock, sleeps: deadlines.continuation), outcome: outcome)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: backfill(source, state: state, progress: progress)),
                    .init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup)
                ],
                logger: .quiet()))
        let running = Task { try await group.run() }
        #expect(await source.reached.first { _ in true } == "history AAPL 1Day")
        #expect(await deadlines.stream.first { _ in true } == .seconds(5), "the watcher waits for its deadline")
        clock.advance(by: .seconds(5))
        try await withSafetyLimit { try await running.value }

        #expect(outcome.outcome == .deadlinePassed)
        #expect(clock.elapsed == .seconds(5), "the limiter's 12 s wait did not hold the end")
        #expect(await progress.report().first?.pending.count == 4)
        #expect(await !progress.allFinished)
    }

    @Test func pollingShowsAThrottlePauseAsRateLimitedAndStopsDuringIt() async throws {
        let source = WaitingSource(limiter: await pausedLimiter())
        let state = state(for: source)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let poller = PollingCollector(
            source: source, watched: WatchedSymbols(symbols), pipeline: pipeline,
            clock: clock, timeSource: clock, interval: .seconds(60), logger: .quiet())
        let group = ServiceGroup(services: [poller], logger: .quiet())
        let running = Task { try await group.run() }
        let draining = Task { await pipeline.run() }
        #expect(await source.reached.first { _ in true } == "quotes AAPL")
        let shown = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .rateLimited } }
        #expect(shown?.sources.first?.detail == "requests paused until 13:00:00 UTC", "the pause is a state, with its end")
        pipeline.finish()
        await draining.value
        await group.triggerGracefulShutdown()
        try await withSafetyLimit { try await running.value }
        #expect(clock.elapsed == .zero)
    }

    @Test func aRefreshRequestStartsTheNextRoundNowThroughTheLimiter() async throws {
        let limiter = RateLimiter(limit: RateLimit(requests: 5, per: .seconds(60)), clock: clock, timeSource: clock)
        let calls = AsyncStream<Int>.makeStream()
        let source = ScriptedQuoteSource(limiter: limiter) { [clock] call, symbols in
            calls.continuation.yield(call)
            return PollingCollectorTests.quotes(symbols, clock: clock, last: 100 + Double(call))
        }
        let state = state(for: source)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let requests = PollRequests()
        let poller = PollingCollector(
            source: source, watched: WatchedSymbols(symbols), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: .seconds(3_600), requests: requests, logger: .quiet())
        let group = ServiceGroup(services: [poller], logger: .quiet())
        let running = Task { try await group.run() }
        var seen = calls.stream.makeAsyncIterator()
        #expect(await seen.next() == 0, "the first round")
        requests.request()
        #expect(await seen.next() == 1, "a second round, an hour early")
        #expect(clock.elapsed == .zero)
        #expect(await limiter.status().remaining == 3, "both rounds took a token: a refresh stays within the budget")
        await group.triggerGracefulShutdown()
        try await withSafetyLimit { try await running.value }
    }
}
