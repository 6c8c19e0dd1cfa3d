import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = AlphaVantageHarness

/// The HTTP-200 notes of `provider-formats.md` §3.4 and what each does to the shared limiter.
@Suite("Alpha Vantage notes")
struct AlphaVantageNoteTests {
    private func dailyBarsError(_ fixture: String, now: String = "2024-03-06T15:00:00Z") async throws
        -> (ProviderError?, H)
    {
        let h = try await H.start(now: now) { _ in Fixture.json("alphavantage/\(fixture)") }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await h.source.historyBars(
                for: H.symbol("IBM"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        }
        await h.stop()
        return (error, h)
    }

    @Test func anInvalidCallIsABadRequestForTheSymbolAndDoesNotPause() async throws {
        let (error, h) = try await dailyBarsError("error-invalid-call.json")
        #expect(error?.kind == .badRequest)
        #expect(error?.healthState == .degraded)
        #expect(error?.symbol == H.symbol("IBM"))
        #expect(error?.status == 200)
        #expect(error?.endpoint == "/query (TIME_SERIES_DAILY)")
        #expect(error?.message.contains("Invalid API call") == true)
        #expect(await h.limiter.status().pausedUntil == nil)
    }

    @Test(arguments: ["error-invalid-key.json", "information-invalid-key.json"])
    func anInvalidKeyIsUnauthorized(fixture: String) async throws {
        let (error, h) = try await dailyBarsError(fixture)
        #expect(error?.kind == .unauthorized)
        #expect(error?.healthState == .down)
        #expect(error?.message.contains("apikey is invalid or missing") == true)
        #expect(await h.limiter.status().pausedUntil == nil)
    }

    @Test func theDailyQuotaPausesTheSharedLimiterUntilTheNextUTCMidnight() async throws {
        let (error, h) = try await dailyBarsError("information-daily-limit.json")
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(9 * 3600)))
        #expect(error?.healthState == .rateLimited)
        #expect(error?.message.contains("daily request quota") == true)
        let status = await h.limiter.status()
        #expect(status.remaining == 0)
        #expect(status.pausedUntil == H.time("2024-03-07T00:00:00Z"))
        #expect(await h.limiter.waitForNextToken() == .seconds(9 * 3600))
        // The note quotes the key back; it is masked everywhere.
        let text = String(describing: error)
        #expect(text.contains("API key as ***"))
        #expect(!text.contains(H.key))
        #expect(!h.capture.text.contains(H.key))
        #expect(h.capture.text.contains("throttled by the provider"))
    }

    @Test func theBurstNotePausesBriefly() async throws {
        let (error, h) = try await dailyBarsError("information-burst.json")
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(2)))
        #expect(error?.message.contains("per second") == true)
        #expect(await h.limiter.status().pausedUntil == h.now + .seconds(2))
    }

    @Test func theOldPerMinuteNotePausesAMinute() async throws {
        let (error, h) = try await dailyBarsError("note-per-minute.json")
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(60)))
        #expect(await h.limiter.status().pausedUntil == h.now + .seconds(60))
    }

    @Test func anUnknownInformationNoteIsAThrottleOfTheDefaultLength() async throws {
        let h = try await H.start { _ in .json(#"{"Information": "Our servers are busy right now, try again later."}"#) }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("IBM")]) }
        await h.stop()
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(60)))
        #expect(error?.message.contains("servers are busy") == true)
        #expect(await h.limiter.status().pausedUntil == h.now + .seconds(60))
    }

    @Test func aPauseHoldsEverySourceOnTheSameLimiter() async throws {
        let h = try await H.start { request in
            request.query("function") == "GLOBAL_QUOTE"
                ? Fixture.json("alphavantage/global-quote.json") : Fixture.json("alphavantage/information-burst.json")
        }
        await #expect(throws: ProviderError.self) {
            _ = try await h.source.historyBars(
                for: H.symbol("IBM"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        }
        let other = H.makeSource(server: h.server, clock: h.clock, capture: h.capture, limiter: h.limiter)
        let pending = Task { try await other.latestQuotes(for: [H.symbol("MSFT")]) }
        await h.clock.waitForSleeper(named: "limiter")
        #expect(h.requests.count == 1)
        // The pause ends after 2 s; the bucket then refills at 100/min, so one more second frees a token.
        h.clock.advance(by: .seconds(3))
        let quotes = try await pending.value
        await h.stop()
        #expect(quotes.map(\.symbol) == [H.symbol("MSFT")])
        #expect(h.requests.count == 2)
    }

    @Test func fullOutputThatIsPremiumFallsBackToCompactOnceAndIsRemembered() async throws {
        let h = try await H.start { request in
            request.query("outputsize") == "full"
                ? Fixture.json("alphavantage/information-premium-full.json") : Fixture.json("alphavantage/daily-compact.json")
        }
        let range = H.time("2023-01-02T00:00:00Z")...H.time("2024-03-05T00:00:00Z")
        let bars = try await h.source.historyBars(for: H.symbol("IBM"), timeframe: .oneDay, in: range)
        #expect(bars.count == 6)
        #expect(h.requests.map { $0.query("outputsize") } == ["full", "compact"])
        #expect(h.capture.text.contains("falling back to compact"))
        _ = try await h.source.historyBars(for: H.symbol("IBM"), timeframe: .oneDay, in: range)
        await h.stop()
        #expect(h.requests.map { $0.query("outputsize") } == ["full", "compact", "compact"])
        #expect(await h.limiter.status().pausedUntil == nil)
    }

    @Test func aPremiumEndpointIsNotEntitled() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/information-premium-endpoint.json") }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("IBM")]) }
        await h.stop()
        #expect(error?.kind == .notEntitled)
        #expect(error?.healthState == .down)
        #expect(error?.message.contains("premium endpoint") == true)
        #expect(h.requests.count == 1)
        #expect(await h.limiter.status().pausedUntil == nil)
    }

    @Test func premiumOnCompactIsNotEntitledWithoutAnotherTry() async throws {
        let (error, h) = try await dailyBarsError("information-premium-full.json")
        #expect(error?.kind == .notEntitled)
        #expect(h.requests.count == 1)
    }
}
