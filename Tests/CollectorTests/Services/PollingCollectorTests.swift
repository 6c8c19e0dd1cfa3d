import Collector
import CollectorTestSupport
import Logging
import Testing

private let F = MarketFixtures.self

/// A polling collector with its pipeline and state on a manual clock, in a `ServiceRig`.
private struct PollingRig {
    let state: MarketState
    let services: ServiceRig

    init(
        source: ScriptedQuoteSource, symbols: [Symbol], clock: ManualClock, interval: Duration = .seconds(10),
        breaker: CircuitBreaker.Settings = .init(), tape: TapeRecorder? = nil
    ) {
        let state = MarketState(
            watchlist: symbols, sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, tape: tape, logger: .quiet())
        let collector = PollingCollector(
            source: source, watched: WatchedSymbols(symbols), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: interval, breaker: breaker, logger: .quiet())
        self.state = state
        services = ServiceRig([("ingest", pipeline), ("poller", collector)])
    }
}

private struct Outage: Error, CustomStringConvertible {
    var description: String { "connection reset" }
}

@Suite("Polling collector", .stopsItsRigs)
struct PollingCollectorTests {
    static let symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "TSLA"].map(F.symbol)

    static func quotes(_ symbols: [Symbol], clock: ManualClock, last: Double = 100) -> [Quote] {
        symbols.map { F.quote($0.rawValue, source: "scripted", last: last, at: clock.now(), receivedAt: clock.now()) }
    }

    @Test func rotatesThroughTheWatchlistWhenTheBudgetIsShort() async throws {
        let clock = ManualClock()
        // Two requests per minute for five symbols in chunks of two: three requests per full round.
        let limiter = RateLimiter(limit: RateLimit(requests: 2, per: .seconds(60)), clock: clock, timeSource: clock)
        let source = ScriptedQuoteSource(symbolsPerRequest: 2, limiter: limiter) { _, symbols in
            Self.quotes(symbols, clock: clock)
        }
        let rig = PollingRig(source: source, symbols: Self.symbols, clock: clock, interval: .seconds(30))
        let state = rig.state

        let throttled = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .rateLimited } }
        #expect(source.requests.map { $0.map(\.rawValue) } == [["AAPL", "MSFT"], ["NVDA", "AMZN"]])
        #expect(throttled?.sources.first?.rateLimitRemaining == 0)
        #expect(throttled?.symbol(F.symbol("TSLA"))?.selected == nil)

        // 60 s later the first requests have left the window (not before: the limit is 2 in any
        // 60 s): the next round starts with the chunk that was cut off.
        await clock.waitForSleeper(named: "poll SCRIPTED")
        clock.advance(by: .seconds(60))
        let all = try await withSafetyLimit {
            await state.firstSnapshot { $0.symbol(F.symbol("TSLA"))?.selected != nil }
        }
        #expect(all != nil)
        #expect(source.requests.map { $0.map(\.rawValue) }.prefix(3) == [["AAPL", "MSFT"], ["NVDA", "AMZN"], ["TSLA"]])
    }

    /// Polled quotes go on the tape too, as received (before validation).
    @Test func polledQuotesAreRecordedOnTheTape() async throws {
        let clock = ManualClock()
        let source = ScriptedQuoteSource { _, symbols in Self.quotes(symbols, clock: clock) }
        let tapeStore = InMemoryStore()
        let tape = TapeRecorder(store: tapeStore, batchSize: 100, logger: .quiet())
        let rig = PollingRig(source: source, symbols: Self.symbols, clock: clock, tape: tape)
        let state = rig.state
        _ = try await withSafetyLimit {
            await state.firstSnapshot { snapshot in Self.symbols.allSatisfy { snapshot.symbol($0)?.selected != nil } }
        }
        await rig.services.stop()
        tape.finish()
        await tape.run()
        let expected = Self.quotes(Self.symbols, clock: clock)
        for quote in expected {
            let recorded = await tapeStore.ticks(symbol: quote.symbol, source: nil, in: Timestamp.supportedRange, limit: 10)
            #expect(recorded.first.map(\.event) == .quote(quote))
        }
    }

    @Test func oneTransientFailureDegradesAndTheSecondInARowIsDown() async throws {
        let clock = ManualClock()
        let source = ScriptedQuoteSource { call, symbols in
            if call == 1 || call == 2 {
                throw ProviderError(source: "scripted", kind: .timeout, endpoint: "/q", message: "no answer within 10s")
            }
            return Self.quotes(symbols, clock: clock, last: 100 + Double(call))
        }
        let aapl = F.symbol("AAPL")
        let rig = PollingRig(source: source, symbols: [aapl], clock: clock)
        let state = rig.state

        let polling = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.messageCount == 1 } }
        #expect(polling?.sources.first?.state == .polling)
        await clock.waitForSleeper(named: "poll SCRIPTED")
        clock.advance(by: .seconds(10))
        let degraded = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(degraded?.sources.first?.state == .degraded, "one lost request is not an outage")
        #expect(degraded?.sources.first?.detail?.contains("no answer within 10s") == true)
        await clock.waitForSleeper(named: "poll SCRIPTED")
        clock.advance(by: .seconds(10))
        let down = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 2 } }
        #expect(down?.sources.first?.state == .down)
        await clock.waitForSleeper(named: "poll SCRIPTED")
        clock.advance(by: .seconds(10))
        let back = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected?.last == 103 } }
        #expect(back?.sources.first?.state == .polling)
    }

    @Test func aChangedFormatShowsAtOnceAndFeedsTheCircuitBreaker() async throws {
        let clock = ManualClock()
        let source = ScriptedQuoteSource { _, _ in
            throw ProviderError(
                source: "scripted", kind: .formatChanged, endpoint: "/v7/finance/quote",
                message: "the response changed shape: missing key 'quoteResponse'")
        }
        let rig = PollingRig(
            source: source, symbols: [F.symbol("AAPL")], clock: clock,
            breaker: .init(failureThreshold: 2, openDuration: .seconds(60)))
        let state = rig.state

        let changed = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(changed?.sources.first?.state == .formatChanged)
        #expect(changed?.sources.first?.detail?.contains("missing key 'quoteResponse'") == true)
        await clock.waitForSleeper(named: "poll SCRIPTED")
        clock.advance(by: .seconds(10))
        let open = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 2 } }
        #expect(open?.sources.first?.state == .circuitOpen)
        #expect(source.requests.count == 2)
    }

    @Test func symbolsWithoutAQuoteDegradeTheSourceAndNameTheSymbol() async throws {
        let clock = ManualClock()
        let source = ScriptedQuoteSource { _, symbols in
            Self.quotes(symbols.filter { $0.rawValue != "NOPE" }, clock: clock)
        }
        let rig = PollingRig(source: source, symbols: [F.symbol("AAPL"), F.symbol("NOPE")], clock: clock)
        let state = rig.state
        let snapshot = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .degraded } }
        #expect(snapshot?.sources.first?.detail == "no quote for NOPE")
        #expect(snapshot?.symbol(F.symbol("AAPL"))?.selected != nil)
    }

    @Test func aGenericFailureCountsAsTransient() async throws {
        let clock = ManualClock()
        let source = ScriptedQuoteSource { _, _ in throw Outage() }
        let rig = PollingRig(source: source, symbols: [F.symbol("AAPL")], clock: clock)
        let state = rig.state
        let snapshot = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(snapshot?.sources.first?.state == .degraded)
        #expect(snapshot?.sources.first?.lastError?.contains("connection reset") == true)
    }
}

@Suite("Polling collector repeats", .stopsItsRigs)
struct PollingCollectorRepeatTests {
    @Test func aRepeatedQuoteConfirmsTheSourceButIsNotIngestedAgain() async throws {
        let clock = ManualClock()
        let stamp = clock.now()
        let source = ScriptedQuoteSource { call, symbols in
            // Polls 0 and 1 return the same quote; poll 2 a new one.
            let time = call < 2 ? stamp : stamp + .seconds(15)
            return symbols.map {
                F.quote($0.rawValue, source: "scripted", last: 100 + Double(min(call, 2)), at: time, receivedAt: clock.now())
            }
        }
        let aapl = F.symbol("AAPL")
        let state = MarketState(
            watchlist: [aapl], sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let collector = PollingCollector(
            source: source, watched: WatchedSymbols([aapl]), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: .seconds(10), logger: .quiet())
        _ = ServiceRig([("ingest", pipeline), ("poller", collector)])

        _ = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.messageCount == 1 } }
        await clock.waitForSleeper(named: "poll SCRIPTED")
        clock.advance(by: .seconds(10))
        let repeated = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.lastSuccess == clock.now() } }
        #expect(repeated?.sources.first?.messageCount == 1, "the repeat is not a new value")
        #expect(repeated?.anomalyCount == 0, "a repeat from a poll is not a time-repeated anomaly")
        #expect(repeated?.symbol(aapl)?.selected?.last == 100)
        await clock.waitForSleeper(named: "poll SCRIPTED")
        clock.advance(by: .seconds(10))
        let moved = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected?.last == 102 } }
        #expect(moved?.sources.first?.messageCount == 2)
    }
}
