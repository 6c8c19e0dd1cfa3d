import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Gap backfill", .stopsItsRigs)
struct GapBackfillTests {
    static func day(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    /// Daily AAPL bars from `source` for each date.
    static func bars(_ dates: [String], source: SourceID, close: Double = 100) -> [Bar] {
        dates.map {
            F.bar(source: source, timeframe: .oneDay, start: day($0), open: close, high: close + 1, low: close - 1, close: close)
        }
    }

    @Test func aGapIsFoundAndFilledFromTheSecondSourceWhenTheFirstLacksIt() async throws {
        let store = InMemoryStore()
        // Stored: the trading days of 2025-12-22..2026-01-02 except the 23rd and the 29th-30th.
        try await store.write(
            StoreBatch(bars: Self.bars(["2025-12-22", "2025-12-24", "2025-12-26", "2025-12-31", "2026-01-02"], source: "primary"))
        )
        let primary = ScriptedSource(id: "primary", history: Self.bars(["2025-12-22"], source: "primary"))
        let backup = ScriptedSource(
            id: "backup", history: Self.bars(["2025-12-23", "2025-12-29", "2025-12-30"], source: "backup", close: 101))
        let writing = RunningStoreWriter(store)
        let gapFill = GapBackfill(store: store, writer: writing.writer, timeSource: FixedTimeSource(Self.day("2026-01-05")))
        let range = Self.day("2025-12-22")...Self.day("2026-01-02T23:59:59Z")

        let outcome = try await gapFill.run(
            symbol: F.symbol("AAPL"), timeframe: .oneDay, range: range, sources: [primary, backup])

        #expect(
            outcome.found == [
                BarGap(first: Self.day("2025-12-23"), last: Self.day("2025-12-23"), missingBars: 1),
                BarGap(first: Self.day("2025-12-29"), last: Self.day("2025-12-30"), missingBars: 2)
            ], "no gap over Christmas, New Year's Day or the weekends")
        #expect(outcome.filled == ["backup": 3])
        #expect(outcome.stillMissing.isEmpty)
        #expect(primary.historyRequests.count == 2, "the preferred source is asked first for each gap")
        let stored = await store.bars(symbol: F.symbol("AAPL"), timeframe: .oneDay, source: "backup", in: range)
        #expect(
            stored.map(\.start.utcDateText) == ["2025-12-23", "2025-12-29", "2025-12-30"], "stored with the source they came from"
        )
        await writing.finish()
    }

    @Test func backfilledBarsAreValidatedAndWhatNoSourceHasIsReported() async throws {
        let store = InMemoryStore()
        var broken = Self.bars(["2025-12-23"], source: "backup")
        broken[0].high = 90  // below the low: ohlc-inconsistent
        let backup = ScriptedSource(id: "backup", history: broken)
        let writing = RunningStoreWriter(store)
        let gapFill = GapBackfill(store: store, writer: writing.writer, timeSource: FixedTimeSource(Self.day("2026-01-05")))
        let range = Self.day("2025-12-22")...Self.day("2025-12-23T23:59:59Z")

        let outcome = try await gapFill.run(symbol: F.symbol("AAPL"), timeframe: .oneDay, range: range, sources: [backup])

        #expect(outcome.found.map(\.missingBars) == [2])
        #expect(outcome.quarantined == 1)
        #expect(outcome.filled.isEmpty)
        #expect(outcome.stillMissing.map(\.missingBars) == [2], "a quarantined bar does not fill a gap")
        await writing.finish()
    }
}
