import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// The board's `r`: every polled source is asked for a round now, within its budget, and the
/// outcome says which were asked and why the others were not.
@Suite("Refresh requests")
struct RefreshRequestTests {
    @Test func asksEveryPolledSourceExceptOneWhoseRequestsArePaused() async throws {
        let clock = ManualClock()
        let configuration = try ConfigLoader.parse(
            """
            [store]
            kind = "memory"

            [sources.alpaca]
            kind = "alpaca"
            base_url = "http://127.0.0.1:9"
            stream = false

            [sources.yahoo]
            kind = "yahoo"
            base_url = "http://127.0.0.1:9"
            rate_limit = "2/min"
            """, file: "test.toml")
        let runtime = try CollectorRuntime(
            configuration: configuration, symbols: [F.symbol("AAPL")], databasePath: nil, faults: [:], clock: clock,
            timeSource: clock, environment: ["APCA_API_KEY_ID": "PKTEST", "APCA_API_SECRET_KEY": "secret"],
            logger: .quiet())
        #expect(runtime.polledSources == ["alpaca", "yahoo"])
        let alpaca = try #require(runtime.sources.first { $0.id == "alpaca" }?.rateLimiter)
        await alpaca.pause(for: .seconds(22 * 3_600))
        let yahoo = try #require(runtime.sources.first { $0.id == "yahoo" }?.rateLimiter)
        try await yahoo.acquire()
        try await yahoo.acquire()

        let outcome = await runtime.refreshPolledSources()
        #expect(outcome.asked.map(\.source) == ["yahoo"])
        #expect(outcome.skipped == [.init(source: "alpaca", reason: "requests paused until 13:00:00 UTC")])
        // Two requests at once on 2/min: the next slot frees when the first leaves the 60 s window.
        #expect(
            outcome.description
                == "refreshing YAHOO (next request in 1m: rate limit); ALPACA not asked: requests paused until 13:00:00 UTC")
        #expect(runtime.pollRequests.generation == 1, "the pollers were asked")
    }
}
