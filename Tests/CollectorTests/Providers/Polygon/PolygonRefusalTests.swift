import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = PolygonHarness

/// Polygon's `NOT_AUTHORIZED` (the plan does not include the endpoint) is remembered in the store
/// with its reason, like Alpha Vantage's premium notes and Finnhub's 403: a later run (a new source
/// and limiter on the same store) does not spend the request again.
@Suite("Polygon refusals")
struct PolygonRefusalTests {
    static let account = SourceConfiguration.defaults(id: "poly", kind: .polygon).rateLimitAccount

    /// A new "run": a new limiter and source on `store`, as the runtime builds them at start.
    private func run(_ h: H, store: InMemoryStore) -> PolygonSource {
        let limiter = RateLimiter(
            limit: RateLimit(requests: 100, per: .seconds(60)), clock: h.clock, timeSource: h.clock,
            account: Self.account, ledger: store)
        return H.makeSource(server: h.server, clock: h.clock, capture: h.capture, limiter: limiter)
    }

    @Test func aRefusedNBBOIsNotAskedAgainOnTheNextStart() async throws {
        let h = try await H.start { request in
            if request.path.hasPrefix("/v2/last/trade/") { return Fixture.json("polygon/last-trade.json") }
            if request.path.hasPrefix("/v2/last/nbbo/") { return Fixture.json("polygon/error-403-not-entitled.json") }
            return Fixture.json("polygon/prev.json")
        }
        let store = InMemoryStore()
        let first = try #require(try await run(h, store: store).latestQuotes(for: [H.symbol("AAPL")]).first)
        #expect(first.isLastTrade && first.last == 170.415)
        #expect(h.requests.filter { $0.path.hasPrefix("/v2/last/nbbo/") }.count == 1)

        _ = try await run(h, store: store).latestQuotes(for: [H.symbol("AAPL")])
        _ = try await run(h, store: store).latestQuotes(for: [H.symbol("MSFT")])
        #expect(h.requests.filter { $0.path.hasPrefix("/v2/last/nbbo/") }.count == 1, "not asked again, for any symbol")
        let refusal = try #require(await store.refusal(account: Self.account, shape: "/v2/last/nbbo"))
        #expect(refusal.reason.contains("You are not entitled to this data"))

        h.clock.advance(by: RequestRefusal.retryAfter)
        _ = try await run(h, store: store).latestQuotes(for: [H.symbol("AAPL")])
        await h.stop()
        #expect(h.requests.filter { $0.path.hasPrefix("/v2/last/nbbo/") }.count == 2, "asked again once the refusal expired")
    }

    @Test func aRefusedHistoryWindowIsNotAskedAgainAndSaysWhy() async throws {
        let h = try await H.start { _ in Fixture.json("polygon/error-403-timeframe.json") }
        let store = InMemoryStore()
        let range = H.time("2015-03-02T00:00:00Z")...H.time("2015-03-06T00:00:00Z")
        let first = await #expect(throws: ProviderError.self) {
            _ = try await run(h, store: store).historyBars(for: H.symbol("AAPL"), timeframe: .oneMinute, in: range)
        }
        #expect(first?.kind == .notEntitled)
        let again = await #expect(throws: ProviderError.self) {
            _ = try await run(h, store: store).historyBars(for: H.symbol("MSFT"), timeframe: .oneMinute, in: range)
        }
        await h.stop()
        #expect(h.requests.count == 1, "the plan's refusal holds for every symbol of that window")
        #expect(again?.kind == .notEntitled)
        #expect(again?.message.contains("doesn't include this data timeframe") == true, "the remembered reason is given")
        #expect(again?.message.contains("not asked again before") == true)
        #expect(!String(describing: again).contains(H.key))
    }
}
