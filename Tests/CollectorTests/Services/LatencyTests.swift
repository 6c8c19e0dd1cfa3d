import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@testable import Collector

private let F = MarketFixtures.self

@Suite("Latency: never negative, never our own waiting", .stopsItsRigs)
struct LatencyTests {
    /// A stream quote stamped after it arrived is clock skew: the delay is 0 and the detail says so.
    @Test func aFeedDelayBelowZeroIsClockSkew() {
        let now = F.baseTime
        let ahead = FeedDelay([.quote(F.quote(at: now + .milliseconds(1_500), receivedAt: now))])
        #expect(ahead.milliseconds == 0)
        #expect(ahead.skewNote == "clock skew: quotes stamped 1.5 s ahead of our clock; feed delay shown as 0")
        let late = FeedDelay([.quote(F.quote(at: now - .milliseconds(40), receivedAt: now))])
        #expect(late.milliseconds == 40 && late.skewNote == nil)
        #expect(FeedDelay([]).milliseconds == nil)
    }

    @Test func theStateNeverShowsANegativeLatency() async {
        let clock = FixedTimeSource(F.baseTime)
        let state = MarketState(
            watchlist: [F.symbol("AAPL")], sources: [.init(id: "feed", kind: "x", priority: 1)], timeSource: clock)
        await state.apply(health: [
            .delivered("feed", .init(count: 1, path: .stream, roundTripMilliseconds: -250, at: clock.now()))
        ])
        let health = await state.snapshot().sources.first
        #expect(health?.latencyMilliseconds == 0)
        #expect(health?.latencyP50Milliseconds == 0)
    }

    /// Two requests a round with a budget of one a minute: the second waits 60 s for our own limiter,
    /// then answers at once. Its latency is the answer's, not the wait's.
    @Test func aPollsLatencyStartsWhenTheRequestIsSent() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.path == "/v2/stocks/snapshots"
                ? Fixture.json("alpaca/snapshots-stocks.json") : Fixture.json("alpaca/snapshots-crypto.json")
        }
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-05T15:42:10Z")!)
        let source = AlpacaTestKit.source(server, clock: clock, limit: RateLimit(requests: 1, per: .seconds(60)))
        let symbols = [F.symbol("AAPL"), F.symbol("BTC-USD")]
        let state = MarketState(
            watchlist: symbols, sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let poller = PollingCollector(
            source: source, watched: WatchedSymbols(symbols), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: .seconds(600), logger: .quiet())
        let rig = ServiceRig([("ingest", pipeline), ("poller", poller)])

        let refill = clock.now.advanced(by: .seconds(60))
        try await withSafetyLimit { await clock.waitForSleep(until: refill, within: .milliseconds(1)) }
        clock.advance(by: .seconds(60))
        let both = try await withSafetyLimit {
            await state.firstSnapshot { $0.symbols.allSatisfy { $0.selected != nil } }
        }
        let health = try #require(both?.sources.first)
        #expect(health.latencyMilliseconds == 0, "the manual clock stands still while the loopback answers")
        #expect((health.latencyP95Milliseconds ?? 0) < 1_000, "not the 60 s spent waiting for a token")
        await rig.stop()
        await server.stop()
    }
}
