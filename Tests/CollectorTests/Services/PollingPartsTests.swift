import CollectorTestSupport
import Foundation
import Logging
import ProviderTestSupport
import Testing

@testable import Collector

private let F = MarketFixtures.self

/// Alpaca on a loopback server whose crypto snapshots answer 404 while stocks serve, polled every
/// 10 s with a circuit that opens after two failed rounds; a second source ("backup") quotes
/// every symbol, so a failover shows which symbols lost Alpaca.
private struct CryptoOutageRig {
    static let interval = Duration.seconds(10)
    let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-05T15:42:10Z")!)
    let server: LoopbackHTTPServer
    let state: MarketState
    let pipeline: IngestPipeline
    /// What the pipeline stored: the health transitions the polls caused.
    let sink = RecordingStoreSink()
    let services: ServiceRig
    let symbols: [Symbol]

    init(symbols: [Symbol]) async throws {
        server = try await LoopbackHTTPServer.start { request in
            request.path == "/v2/stocks/snapshots"
                ? Fixture.json("alpaca/snapshots-stocks.json")
                : Fixture.json("alpaca/error-404.json", status: 404)
        }
        let alpaca = AlpacaTestKit.source(server, clock: clock)
        self.symbols = symbols
        state = MarketState(
            watchlist: symbols,
            sources: [.init(id: alpaca.id, kind: alpaca.kind, priority: 1), .init(id: "backup", kind: "scripted", priority: 2)],
            timeSource: clock)
        pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, logger: .quiet())
        let poller = PollingCollector(
            source: alpaca, watched: WatchedSymbols(symbols), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: Self.interval, breaker: .init(failureThreshold: 2, openDuration: .seconds(60)), logger: .quiet())
        services = ServiceRig([("ingest", pipeline), ("poller", poller)])
    }

    /// The backup's quotes, fresh now, at Alpaca's prices (so no disagreement).
    func backupQuotes() async {
        let prices = ["AAPL": 170.4, "BTC-USD": 67230.12]
        let quotes = symbols.map { symbol in
            let bid = prices[symbol.rawValue] ?? 100
            return F.quote(
                symbol.rawValue, source: "backup", bid: bid, ask: bid + 0.02, last: bid, at: clock.now(), receivedAt: clock.now())
        }
        await state.apply(accepted: quotes.map(MarketEvent.quote))
    }

    /// Waits for the poller to sleep until its next round, then lets that round start.
    func nextRound() async throws {
        let next = clock.now.advanced(by: Self.interval)
        try await withSafetyLimit { await clock.waitForSleep(until: next) }
        clock.advance(by: Self.interval)
    }

    func stop() async {
        await services.stop()
        await server.stop()
    }
}

@Suite("Polling a source whose parts fail apart", .stopsItsRigs)
struct PollingPartsTests {
    let aapl = F.symbol("AAPL")
    let btc = F.symbol("BTC-USD")

    /// Alpaca paused by the provider (a 429's Retry-After, or a pause an earlier run left in the
    /// budget ledger) with an index in the watchlist, which no Alpaca API serves: that symbol's
    /// chunk sends no request, and must not count as an answer. Before, it was a delivery of
    /// nothing, and the source showed "polling" with a fresh LAST OK for the two minutes its
    /// requests waited. Now it stays rate-limited until the pause ends and a request answers.
    @Test func symbolsTheSourceDoesNotServeAreNoAnswerWhileItsRequestsArePaused() async throws {
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-05T15:42:10Z")!)
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/snapshots-stocks.json") }
        let alpaca = AlpacaTestKit.source(server, clock: clock)
        let index = F.symbol("^GSPC")
        let state = MarketState(
            watchlist: [index, aapl], sources: [.init(id: alpaca.id, kind: alpaca.kind, priority: 1)], timeSource: clock)
        let sink = RecordingStoreSink()
        let pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, logger: .quiet())
        let pausedUntil = try #require(await alpaca.rateLimiter?.pause(for: .seconds(120)))
        let poller = PollingCollector(
            source: alpaca, watched: WatchedSymbols([index, aapl]), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: .seconds(10), breaker: .init(failureThreshold: 2, openDuration: .seconds(60)), logger: .quiet())
        let services = ServiceRig([("ingest", pipeline), ("poller", poller)])

        // The round waits in the rate limiter for the pause's end: every chunk before it is done.
        try await withSafetyLimit { await clock.waitForSleep(until: clock.now.advanced(by: .seconds(120))) }
        clock.advance(by: .seconds(120))
        let answered = try await withSafetyLimit {
            await state.firstSnapshot { $0.symbol(self.aapl)?.selected?.source == alpaca.id }
        }
        #expect(answered?.sources.first?.lastSuccess == pausedUntil, "the first answer came when the pause ended")
        await services.stop()
        await server.stop()
        let moves = sink.batches.flatMap(\.transitions).filter { $0.source == alpaca.id }
        #expect(moves.first?.to == .rateLimited, "\(moves)")
        #expect(
            moves.allSatisfy { $0.to == .rateLimited || $0.at >= pausedUntil },
            "nothing but rate-limited before the pause ended: \(moves)")
        #expect(server.requests.count == 1, "one stocks request, after the pause; none for the index")
    }

    @Test func aFailingCryptoEndpointLeavesAlpacaStocksServing() async throws {
        let rig = try await CryptoOutageRig(symbols: [aapl, btc])
        let state = rig.state
        await rig.backupQuotes()
        let alpaca = SourceID("alpaca")

        // Round 1: the stock snapshot is kept though the crypto request failed in the same round.
        let first = try await withSafetyLimit {
            await state.firstSnapshot { $0.sources.first { $0.source == alpaca }?.failingParts != nil }
        }
        #expect(first?.symbol(aapl)?.selected?.source == alpaca, "AAPL came in the same round: it is shown")
        #expect(first?.sources.first { $0.source == alpaca }?.state == .degraded)

        // Round 2: the crypto part's circuit opens; only its symbols fail over.
        try await rig.nextRound()
        await rig.backupQuotes()
        let open = try await withSafetyLimit {
            await state.firstSnapshot { snapshot in
                snapshot.sources.first { $0.source == alpaca }?.failingParts?.first?.state == .circuitOpen
                    && snapshot.symbol(F.symbol("BTC-USD"))?.selected?.source == "backup"
            }
        }
        let health = try #require(open?.sources.first { $0.source == alpaca })
        #expect(health.state == .degraded, "the source serves stocks: degraded, not circuit-open")
        #expect(health.detail?.hasPrefix("crypto circuit-open: ") == true, "\(health.detail ?? "")")
        #expect(health.detail?.contains("HTTP 404") == true)
        #expect(health.failingParts?.map(\.name) == ["crypto"])
        #expect(open?.symbol(aapl)?.selected?.source == alpaca, "stocks do not fail over")

        // Round 3: crypto waits out its pause; stocks are polled and the source does not flap.
        try await rig.nextRound()
        let now = rig.clock.now()
        let third = try await withSafetyLimit {
            await state.firstSnapshot { $0.sources.first { $0.source == alpaca }?.lastSuccess == now }
        }
        #expect(third?.sources.first { $0.source == alpaca }?.state == .degraded)
        let paths = rig.server.requests.map(\.path)
        #expect(paths.filter { $0.hasPrefix("/v1beta3/crypto") }.count == 2, "no crypto request while its circuit is open")
        #expect(paths.filter { $0 == "/v2/stocks/snapshots" }.count == 3)
        _ = await state.tick()  // raises and clears alerts (the alert monitor's job)
        let alerts = await state.snapshot().alerts.filter(\.isOpen)
        #expect(alerts.contains { $0.subject == "ALPACA crypto" && $0.message.contains("circuit-open") })
        #expect(!alerts.contains { $0.subject == "AAPL" }, "no failover alert for a stock")
        await rig.stop()  // the pipeline has drained: every transition the rounds caused is stored
        let moves = rig.sink.batches.flatMap(\.transitions).filter { $0.source == alpaca }.map(\.to)
        #expect(moves == [.polling, .degraded], "one move into degraded, no flapping")
    }
}
