import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@testable import Collector

/// A paginated history request stopped by a fleet hand-over (`ProviderRequests.settle`) while its
/// next page waits for budget: the wait ends at once, the next page is never sent, and the pages
/// already answered are returned (for the pipeline and the store). Polygon pages with `next_url`,
/// Alpaca with `next_page_token`. (Before, the hand-over waited for the whole request, budget
/// waits for its later pages included.)
@Suite("A paginated history request stopped before its next page")
struct PagedHistoryStopTests {
    /// One request a minute: the first page takes the budget, the second waits for it.
    static let limit = RateLimit(requests: 1, per: .seconds(60))

    @Test func polygonSendsNoFurtherPageAndReturnsTheFirst() async throws {
        let h = try await PolygonHarness.start(limit: Self.limit) { request in
            request.query("cursor") == nil
                ? Fixture.json("polygon/aggs-day-page1.json") : Fixture.json("polygon/aggs-day-page2.json")
        }
        let symbol = PolygonHarness.symbol("AAPL")
        let range = PolygonHarness.time("2024-03-01T00:00:00Z")...PolygonHarness.time("2024-03-11T00:00:00Z")
        let bars = try await Self.stoppedBeforeItsSecondPage(symbol, clock: h.clock) {
            try await h.source.historyBars(for: symbol, timeframe: .oneDay, in: range)
        }
        #expect(bars.map(\.start) == [PolygonHarness.time("2024-03-04T00:00:00Z"), PolygonHarness.time("2024-03-05T00:00:00Z")])
        #expect(h.requests.count == 1 && h.requests.allSatisfy { $0.query("cursor") == nil }, "no next_url followed")
        await h.stop()
    }

    @Test func alpacaSendsNoFurtherPageAndReturnsTheFirst() async throws {
        let server = try await AlpacaBarsTests.dailyPages()
        let clock = ManualClock(epoch: AlpacaTestKit.utc(2024, 11, 5))
        let source = AlpacaTestKit.source(server, clock: clock, limit: Self.limit)
        let symbol = AlpacaTestKit.symbol("AAPL")
        let bars = try await Self.stoppedBeforeItsSecondPage(symbol, clock: clock) {
            try await source.historyBars(
                for: symbol, timeframe: .oneDay, in: AlpacaTestKit.utc(2024, 3, 7)...AlpacaTestKit.utc(2024, 11, 4))
        }
        #expect(bars.map(\.start) == [AlpacaTestKit.utc(2024, 3, 7), AlpacaTestKit.utc(2024, 3, 8)])
        #expect(server.requests.count == 1 && server.requests.allSatisfy { $0.query("page_token") == nil })
        await server.stop()
    }

    /// Runs `request` as a backfill does (`ProviderRequests`) until its second page waits for
    /// budget, settles its symbol as a hand-over does, and returns what the request returned once
    /// the budget is back (a page still waiting would be sent then).
    static func stoppedBeforeItsSecondPage(
        _ symbol: Symbol, clock: ManualClock, _ request: @escaping @Sendable () async throws -> [Bar]
    ) async throws -> [Bar] {
        let requests = ProviderRequests()
        let ticket = requests.begin(symbol)
        let fetching = Task {
            defer { requests.end(ticket) }
            return try await requests.fetch(ticket, request)
        }
        try await withSafetyLimit { await clock.waitForSleeper(named: "limiter") }
        try await withSafetyLimit { await requests.settle([symbol]) }
        let bars = try await fetching.value
        clock.advance(by: .seconds(61))
        #expect(requests.count == 0)
        return bars
    }
}
