import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

/// A provider's spend kept in the store: shared by processes and runs, so a daily quota is a daily quota.
@Suite("Request ledger")
struct RequestLedgerTests {
    static let limit = RateLimit(requests: 25, per: .seconds(86_400))

    @Test(arguments: StoreFactory.all)
    func aReservationCountsTheWindowAndAPauseAsTheProviderDoes(_ factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let ledger = try #require(store as? any RequestLedger)
            let start = Timestamp(seconds: 1_772_463_600)
            let limit = RateLimit(requests: 2, per: .seconds(60))
            #expect(try await ledger.reserveRequest(account: "polygon:KEY", at: start, within: limit) == nil)
            #expect(try await ledger.reserveRequest(account: "polygon:KEY", at: start + .seconds(10), within: limit) == nil)
            #expect(
                try await ledger.reserveRequest(account: "polygon:KEY", at: start + .seconds(20), within: limit)
                    == start + .seconds(60), "full: the first request leaves the window at 60 s")
            #expect(try await ledger.reserveRequest(account: "polygon:OTHER", at: start + .seconds(20), within: limit) == nil)
            #expect(try await ledger.reserveRequest(account: "polygon:KEY", at: start + .seconds(60), within: limit) == nil)
            #expect(
                try await ledger.requestTimes(account: "polygon:KEY", since: start)
                    == [start + .seconds(10), start + .seconds(60)])

            try await ledger.recordPause(account: "polygon:KEY", until: start + .seconds(500))
            try await ledger.recordPause(account: "polygon:KEY", until: start + .seconds(200))
            #expect(try await ledger.pause(account: "polygon:KEY", after: start) == start + .seconds(500))
            #expect(
                try await ledger.reserveRequest(account: "polygon:KEY", at: start + .seconds(300), within: limit)
                    == start + .seconds(500), "nothing goes before a recorded pause ends")
            #expect(try await ledger.pause(account: "polygon:KEY", after: start + .seconds(500)) == nil)

            let refusal = RequestRefusal(
                account: "alphavantage:KEY", shape: "TIME_SERIES_DAILY BTC/USD", reason: "Invalid API call",
                refusedAt: start, configuration: "x")
            try await ledger.recordRefusal(refusal)
            #expect(try await ledger.refusal(account: "alphavantage:KEY", shape: "TIME_SERIES_DAILY BTC/USD") == refusal)
            #expect(try await ledger.refusal(account: "alphavantage:KEY", shape: "TIME_SERIES_DAILY IBM") == nil)
        }
    }

    /// Two runs (two stores opened on one file, each with its own limiters, as two processes
    /// would) against a server that counts requests: together they never exceed 25 a day.
    @Test func twoRunsOnOneDatabaseNeverExceedTheDailyQuota() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alphavantage/global-quote.json") }
        let directory = try TemporaryDirectory(prefix: "ticktop-ledger-test")
        defer { directory.remove() }
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-06T15:00:00Z")!)
        var delivered = 0
        for run in 0..<2 {
            let store = try SQLiteStore(path: directory.path("ticktop.sqlite"))
            let source = try Self.alphaVantage(server: server, ledger: store, clock: clock)
            for _ in 0..<20 {
                if (try? await source.latestQuotes(for: [Symbol("IBM")])) != nil { delivered += 1 }
                clock.advance(by: .seconds(1))  // Alpha Vantage also allows only one request a second
            }
            #expect(server.requests.count == (run == 0 ? 20 : 25))
            clock.advance(by: .seconds(60))
        }
        await server.stop()
        #expect(delivered == 25)
        #expect(server.requests.count == 25, "the second run continues the first run's day")
    }

    /// A daily-quota note seen by one run holds the next run too, without a request.
    @Test func aPauseRecordedByOneRunHoldsTheNext() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alphavantage/information-daily-limit.json") }
        let directory = try TemporaryDirectory(prefix: "ticktop-ledger-test")
        defer { directory.remove() }
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-06T15:00:00Z")!)
        let first = try Self.alphaVantage(
            server: server, ledger: try SQLiteStore(path: directory.path("ticktop.sqlite")), clock: clock)
        _ = try? await first.latestQuotes(for: [Symbol("IBM")])
        let second = try Self.alphaVantage(
            server: server, ledger: try SQLiteStore(path: directory.path("ticktop.sqlite")), clock: clock)
        let error = await #expect(throws: ProviderError.self) { _ = try await second.latestQuotes(for: [Symbol("IBM")]) }
        await server.stop()
        #expect(server.requests.count == 1)
        guard case .rateLimited(let wait)? = error?.kind else {
            Issue.record("not rate-limited: \(String(describing: error))")
            return
        }
        #expect(try #require(wait) >= .seconds(9 * 3600), "held until the quota resets at the next UTC midnight")
        let pausedUntil = try #require(await second.rateLimiter?.status().pausedUntil)
        #expect(pausedUntil >= Timestamp(rfc3339: "2024-03-07T00:00:00Z")!)
    }

    /// An Alpha Vantage source built as the runtime builds it, its limiter recording into `ledger`,
    /// failing at once instead of waiting for the budget.
    static func alphaVantage(server: LoopbackHTTPServer, ledger: any RequestLedger, clock: ManualClock) throws
        -> any MarketDataSource
    {
        var configuration = SourceConfiguration.defaults(id: "av", kind: .alphavantage)
        configuration.baseURL = server.baseURL
        var factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: clock, ledger: ledger), clock: clock,
            timeSource: clock, logger: LogCapture().logger(),
            environment: ["ALPHAVANTAGE_API_KEY": "TEST-KEY-0000-FAKE"])
        factory.maximumRateLimitWait = .zero
        return try #require(factory.make(configuration).source)
    }
}
