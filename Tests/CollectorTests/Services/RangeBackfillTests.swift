import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Range backfill")
struct RangeBackfillTests {
    static func day(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    /// The NYSE trading days of 2025-12-22 to 2026-01-02.
    static let tradingDays = ["2025-12-22", "2025-12-23", "2025-12-24", "2025-12-26", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-02"]
    static let range = day("2025-12-22")...day("2026-01-02T23:59:59Z")

    static func bars(_ dates: [String]) -> [Bar] {
        dates.map { F.bar(source: "scripted", timeframe: .oneDay, start: day($0)) }
    }

    func backfill(_ source: ScriptedSource, _ store: InMemoryStore) -> RangeBackfill {
        RangeBackfill(source: source, store: store, timeSource: FixedTimeSource(Self.day("2026-01-05")))
    }

    @Test func aRerunOverCompleteHistoryAsksForNothing() async throws {
        let store = InMemoryStore()
        let source = ScriptedSource(history: Self.bars(Self.tradingDays))
        let first = await backfill(source, store).run(symbol: F.symbol("AAPL"), timeframe: .oneDay, range: Self.range)
        #expect(first.stored == 8)
        #expect(source.historyRequests.count == 1)

        let second = await backfill(source, store).run(symbol: F.symbol("AAPL"), timeframe: .oneDay, range: Self.range)
        #expect(source.historyRequests.count == 1, "every trading day is stored: no request")
        #expect(second.windowsAlreadyComplete == 1)
        #expect(second.windowsDone == 1)
        #expect(second.fetched == 0)
    }

    @Test func aRunCutShortIsResumedAfterItsLastStoredBar() async throws {
        let store = InMemoryStore()
        try await store.write(StoreBatch(bars: Self.bars(Array(Self.tradingDays.prefix(4)))))
        let source = ScriptedSource(history: Self.bars(Self.tradingDays))
        let result = await backfill(source, store).run(symbol: F.symbol("AAPL"), timeframe: .oneDay, range: Self.range)
        #expect(source.historyRequests == [Self.day("2025-12-27")...Self.range.upperBound])
        #expect(result.stored == 4)
        #expect(result.alreadyStored == 0, "the stored days are not fetched again")
    }
}
