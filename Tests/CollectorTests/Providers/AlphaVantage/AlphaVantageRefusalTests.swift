import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = AlphaVantageHarness

/// What the plan refused is remembered in the store with its reason, so a later run (a new
/// source and limiter on the same store) does not spend the request again.
@Suite("Alpha Vantage refusals")
struct AlphaVantageRefusalTests {
    static let account = SourceConfiguration.defaults(id: "av", kind: .alphavantage).rateLimitAccount

    /// A new "run": a new limiter and source on `store`, as the runtime builds them at start.
    private func run(_ h: H, store: InMemoryStore) -> AlphaVantageSource {
        let limiter = RateLimiter(
            limit: RateLimit(requests: 100, per: .seconds(60)), clock: h.clock, timeSource: h.clock,
            account: Self.account, ledger: store)
        return H.makeSource(server: h.server, clock: h.clock, capture: h.capture, limiter: limiter)
    }

    @Test func aSeriesRefusedForASymbolIsNotAskedAgainUntilTheRefusalExpires() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/error-invalid-call.json") }
        let store = InMemoryStore()
        let range = H.time("2024-03-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z")
        let pair = H.symbol("BTC/USD")
        await #expect(throws: ProviderError.self) {
            _ = try await run(h, store: store).historyBars(for: pair, timeframe: .oneDay, in: range)
        }
        #expect(h.requests.count == 1)

        let error = await #expect(throws: ProviderError.self) {
            _ = try await run(h, store: store).historyBars(for: pair, timeframe: .oneDay, in: range)
        }
        #expect(h.requests.count == 1, "the next start does not ask again")
        #expect(error?.kind == .badRequest)
        #expect(error?.symbol == pair)
        #expect(error?.message.contains("Invalid API call") == true, "the remembered reason is given")
        #expect(error?.message.contains("not asked again before 2024-03-07T15:00:00") == true)
        #expect(!String(describing: error).contains(H.key))

        await #expect(throws: ProviderError.self) {
            _ = try await run(h, store: store).historyBars(for: H.symbol("IBM"), timeframe: .oneDay, in: range)
        }
        #expect(h.requests.count == 2, "another symbol is asked")

        h.clock.advance(by: RequestRefusal.retryAfter)
        await #expect(throws: ProviderError.self) {
            _ = try await run(h, store: store).historyBars(for: pair, timeframe: .oneDay, in: range)
        }
        await h.stop()
        #expect(h.requests.count == 3, "asked again once the refusal has expired")
    }

    @Test func thePremiumFullProbeIsNotSentOnEveryStart() async throws {
        let h = try await H.start { request in
            request.query("outputsize") == "full"
                ? Fixture.json("alphavantage/information-premium-full.json") : Fixture.json("alphavantage/daily-compact.json")
        }
        let store = InMemoryStore()
        let range = H.time("2023-01-02T00:00:00Z")...H.time("2024-03-05T00:00:00Z")
        for _ in 0..<3 {
            _ = try await run(h, store: store).historyBars(for: H.symbol("IBM"), timeframe: .oneDay, in: range)
        }
        await h.stop()
        #expect(h.requests.map { $0.query("outputsize") } == ["full", "compact", "compact", "compact"])
        let refusal = try #require(await store.refusal(account: Self.account, shape: "TIME_SERIES_DAILY outputsize=full"))
        #expect(refusal.reason.contains("premium"))
        #expect(!refusal.configuration.contains(H.key), "the key itself is never stored")
    }
}
