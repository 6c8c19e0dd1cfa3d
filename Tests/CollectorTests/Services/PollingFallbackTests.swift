import CollectorTestSupport
import Logging
import Testing

@testable import Collector

private let F = MarketFixtures.self

/// A poller standing in for `streams`, on a manual clock, polling every 10 s; its source
/// quotes every symbol but `unknown`.
private struct FallbackRig {
    let clock = ManualClock()
    let source: ScriptedQuoteSource
    let state: MarketState
    let pipeline: IngestPipeline
    /// What the pipeline stored: the health transitions the polls caused.
    let sink = RecordingStoreSink()
    let services: ServiceRig

    /// `streamGrace` is zero unless a test is about it: these tests start with streams as they are.
    init(symbols: [Symbol], streams: [StreamStatus], unknown: Set<Symbol> = [], streamGrace: Duration = .zero) {
        let clock = clock
        source = ScriptedQuoteSource { _, symbols in
            symbols.filter { !unknown.contains($0) }.map {
                F.quote($0.rawValue, source: "scripted", at: clock.now(), receivedAt: clock.now())
            }
        }
        state = MarketState(
            watchlist: symbols, sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
        pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, logger: .quiet())
        let poller = PollingCollector(
            source: source, watched: WatchedSymbols(symbols), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: .seconds(10), standInFor: streams, streamGrace: streamGrace, logger: .quiet())
        services = ServiceRig([("ingest", pipeline), ("poller", poller)])
    }

    /// Lets the next round start (the poller sleeps between rounds).
    func nextRound() async throws {
        try await withSafetyLimit { await clock.waitForSleeper(named: "poll SCRIPTED") }
        clock.advance(by: .seconds(10))
    }

    /// The requests after `count` were made, once the poller is asleep again.
    func requests(after count: Int) async throws -> [[Symbol]] {
        try await withSafetyLimit { await clock.waitForSleeper(named: "poll SCRIPTED") }
        return Array(source.requests.dropFirst(count))
    }

    func stop() async {
        await services.stop()
    }
}

/// A stream status as a connected stream subscribed to `symbols` leaves it (nil: down).
private func stream(covering symbols: [Symbol]?) -> StreamStatus {
    let status = StreamStatus()
    status.set(symbols != nil)
    status.setSubscribed(Set(symbols ?? []))
    return status
}

@Suite("Polling fallback for a stream", .stopsItsRigs)
struct PollingFallbackTests {
    let aapl = F.symbol("AAPL")
    let btc = F.symbol("BTC-USD")

    @Test func aDeliveryThatMovesTheSourceToDegradedCarriesTheReason() async throws {
        let nope = F.symbol("NOPE")
        let rig = FallbackRig(symbols: [aapl, nope], streams: [], unknown: [nope])
        let state = rig.state
        _ = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .degraded } }
        // Something else moves the source (a stream came up, say); the next round's delivery is degraded again.
        let up = await state.apply(health: [.connected(rig.source.id, detail: "streaming from ws://example")])
        #expect(up.transitions.map(\.to) == [.streaming])
        try await rig.nextRound()
        let sink = rig.sink
        try await withSafetyLimit {
            await ManualClock.wait { sink.batches.flatMap(\.transitions).contains { $0.from == .streaming } }
        }
        let back = try #require(sink.batches.flatMap(\.transitions).last { $0.from == .streaming && $0.to == .degraded })
        #expect(back.detail?.contains("no quote for NOPE") == true, "\(back)")
        await rig.stop()
    }

    /// Each start used to poll every symbol once before the stream had time to connect.
    @Test func theFirstRoundGivesTheStreamItsGraceBeforePollingWhatItWillCover() async throws {
        let msft = F.symbol("MSFT")
        let status = StreamStatus()
        let rig = FallbackRig(symbols: [aapl, msft], streams: [status], streamGrace: .seconds(5))
        // Either the poller waits for the stream (the fix) or it has already polled (the bug).
        try await withSafetyLimit { await ManualClock.wait { status.isAwaited || !rig.source.requests.isEmpty } }
        status.set(true)
        status.setSubscribed([aapl])
        try await withSafetyLimit { await ManualClock.wait { !rig.source.requests.isEmpty } }
        #expect(rig.source.requests.first == [msft], "AAPL is on the stream that came up within the grace: not polled")
        await rig.stop()
    }

    @Test func aStreamThatDoesNotComeUpWithinTheGraceIsStoodInFor() async throws {
        let status = StreamStatus()
        let rig = FallbackRig(symbols: [aapl], streams: [status], streamGrace: .seconds(5))
        try await withSafetyLimit { await ManualClock.wait { status.isAwaited } }
        #expect(rig.source.requests.isEmpty, "nothing is polled during the grace")
        rig.clock.advance(by: .seconds(5))
        try await withSafetyLimit { await ManualClock.wait { !rig.source.requests.isEmpty } }
        #expect(rig.source.requests == [[aapl]])
        await rig.stop()
    }

    @Test func thePollerStandsInOnlyWhileTheStreamIsDown() async throws {
        let status = stream(covering: [aapl])
        let rig = FallbackRig(symbols: [aapl], streams: [status])
        for _ in 0..<3 { try await rig.nextRound() }
        #expect(try await rig.requests(after: 0).isEmpty, "no polling while the stream is connected")
        status.set(false)
        rig.clock.advance(by: .seconds(10))
        try await withSafetyLimit { await ManualClock.wait { !rig.source.requests.isEmpty } }
        #expect(rig.source.requests == [[aapl]])
        await rig.stop()
    }

    @Test func twoStreamsEachCoverOnlyTheirOwnSymbols() async throws {
        let stocks = stream(covering: [aapl])
        let crypto = stream(covering: nil)
        let rig = FallbackRig(symbols: [aapl, btc], streams: [stocks, crypto])
        #expect(try await rig.requests(after: 0) == [[btc]], "the crypto stream is down: its pair is polled, the stock is not")
        let streaming = try await withSafetyLimit { await rig.state.firstSnapshot { $0.symbol(self.btc)?.selected != nil } }
        #expect(streaming?.sources.first?.state == .streaming, "one stream is up: the source streams, the poller fills in")

        crypto.set(true)
        crypto.setSubscribed([btc])
        try await rig.nextRound()
        #expect(try await rig.requests(after: 1).isEmpty, "both streams up: nothing to poll")

        stocks.set(false)
        try await rig.nextRound()
        #expect(try await rig.requests(after: 1) == [[aapl]], "the stock stream is down: only its symbol is polled")

        crypto.set(false)
        try await rig.nextRound()
        #expect(try await rig.requests(after: 2) == [[aapl, btc]])
        let polling = try await withSafetyLimit { await rig.state.firstSnapshot { $0.sources.first?.state == .polling } }
        #expect(polling?.sources.first?.messageCount == 4)
        await rig.stop()
    }

    @Test func symbolsNoStreamServesArePolledAndTheirGapsWaitWhileAStreamIsUp() async throws {
        // ^GSPC is on neither stream: it is always polled; the provider has no quote for it.
        let index = F.symbol("^GSPC")
        let stocks = stream(covering: [aapl])
        let rig = FallbackRig(symbols: [aapl, index], streams: [stocks], unknown: [index])
        #expect(try await rig.requests(after: 0) == [[index]])
        try await rig.nextRound()
        #expect(try await rig.requests(after: 1) == [[index]])
        let snapshot = await rig.state.snapshot()
        #expect(snapshot.sources.first?.state == .streaming)
        #expect(snapshot.sources.first?.detail == nil, "no flapping to degraded while the stream is up")
        stocks.set(false)
        try await rig.nextRound()
        let degraded = try await withSafetyLimit { await rig.state.firstSnapshot { $0.sources.first?.state == .degraded } }
        #expect(degraded?.sources.first?.detail == "no quote for ^GSPC", "shown once no stream is up")
        await rig.stop()
    }

    @Test func aSymbolWithNoDataSaysWhyWhileAStreamIsUp() async throws {
        let nope = F.symbol("NOPE")
        let rig = FallbackRig(symbols: [aapl, nope], streams: [stream(covering: [aapl])], unknown: [nope])
        let state = rig.state
        let said = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(nope)?.noDataReason != nil } }
        #expect(said?.symbol(nope)?.noDataReason == "unknown to SCRIPTED")
        #expect(said?.symbol(nope)?.quality == .noData)
        #expect(said?.sources.first?.state == .streaming, "the source's state is the stream's; the symbol says why")
        // A quote from that source ends the reason.
        await state.apply(accepted: [
            .quote(F.quote("NOPE", source: rig.source.id, at: rig.clock.now(), receivedAt: rig.clock.now()))
        ])
        #expect(await state.snapshot().symbol(nope)?.noDataReason == nil)
        await rig.stop()
    }

    /// A stream that dropped used to leave its symbols unpolled for the rest of the poll interval.
    @Test func whenTheStreamCoveringEverythingDropsItsSymbolsArePolledAtOnce() async throws {
        let status = stream(covering: [aapl])
        let rig = FallbackRig(symbols: [aapl], streams: [status])
        // The poller waits with nothing to poll, ready to be woken by a drop.
        try await withSafetyLimit { await ManualClock.wait { status.isDropAwaited } }
        #expect(rig.source.requests.isEmpty)
        status.set(false)
        try await withSafetyLimit { await ManualClock.wait { !rig.source.requests.isEmpty } }
        #expect(rig.source.requests == [[aapl]], "polled without the clock moving")
        await rig.stop()
    }

    @Test func whenAStreamDropsBetweenRoundsItsSymbolsArePolledAtOnce() async throws {
        let index = F.symbol("^GSPC")
        let status = stream(covering: [aapl])
        let rig = FallbackRig(symbols: [aapl, index], streams: [status])
        try await withSafetyLimit { await ManualClock.wait { rig.source.requests.count == 1 && status.isDropAwaited } }
        #expect(rig.source.requests == [[index]])
        status.set(false)
        try await withSafetyLimit { await ManualClock.wait { rig.source.requests.count == 2 } }
        #expect(rig.source.requests.last == [aapl, index], "the next round starts without waiting out the interval")
        await rig.stop()
    }
}
