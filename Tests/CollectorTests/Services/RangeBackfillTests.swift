import Collector
import CollectorTestSupport
import Logging
import ServiceLifecycle
import Testing

private let F = MarketFixtures.self

@Suite("Range backfill", .stopsItsRigs)
struct RangeBackfillTests {
    static func day(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    /// The NYSE trading days of 2025-12-22 to 2026-01-02.
    static let tradingDays = [
        "2025-12-22", "2025-12-23", "2025-12-24", "2025-12-26", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-02"
    ]
    static let range = day("2025-12-22")...day("2026-01-02T23:59:59Z")

    static func bars(_ dates: [String]) -> [Bar] {
        dates.map { F.bar(source: "scripted", timeframe: .oneDay, start: day($0)) }
    }

    func backfill(_ source: ScriptedSource, _ store: any MarketStore, _ writer: StoreWriter) -> RangeBackfill {
        RangeBackfill(source: source, store: store, writer: writer, timeSource: FixedTimeSource(Self.day("2026-01-05")))
    }

    @Test func aRerunOverCompleteHistoryAsksForNothing() async throws {
        let store = InMemoryStore()
        let writing = RunningStoreWriter(store)
        let source = ScriptedSource(history: Self.bars(Self.tradingDays))
        let first = await backfill(source, store, writing.writer).run(
            symbol: F.symbol("AAPL"), timeframe: .oneDay, range: Self.range)
        #expect(first.stored == 8)
        #expect(source.historyRequests.count == 1)

        let second = await backfill(source, store, writing.writer).run(
            symbol: F.symbol("AAPL"), timeframe: .oneDay, range: Self.range)
        #expect(source.historyRequests.count == 1, "every trading day is stored: no request")
        #expect(second.windowsAlreadyComplete == 1)
        #expect(second.windowsDone == 1)
        #expect(second.fetched == 0)
        await writing.finish()
    }

    @Test func aRunCutShortIsResumedAfterItsLastStoredBar() async throws {
        let store = InMemoryStore()
        try await store.write(StoreBatch(bars: Self.bars(Array(Self.tradingDays.prefix(4)))))
        let source = ScriptedSource(history: Self.bars(Self.tradingDays))
        let writing = RunningStoreWriter(store)
        let result = await backfill(source, store, writing.writer).run(
            symbol: F.symbol("AAPL"), timeframe: .oneDay, range: Self.range)
        #expect(source.historyRequests == [Self.day("2025-12-27")...Self.range.upperBound])
        #expect(result.stored == 4)
        #expect(result.alreadyStored == 0, "the stored days are not fetched again")
        await writing.finish()
    }

    /// `ticktop backfill` writes through the store writer: a failed write keeps the window's rows
    /// (the window is fetched, not missing) and says why they wait; a retry that works counts them.
    @Test func aFailedWriteKeepsTheRowsAndReportsThemWaiting() async throws {
        let store = RecordingStore(failures: 1)
        let clock = ManualClock()
        let writing = RunningStoreWriter(store, clock: clock)
        let source = ScriptedSource(history: Self.bars(Self.tradingDays))
        let result = await backfill(source, store, writing.writer).run(
            symbol: F.symbol("AAPL"), timeframe: .oneDay, range: Self.range)
        #expect(result.fetched == 8 && result.stored == 0 && result.missing.isEmpty)
        #expect(result.waiting == 8 && result.writeFailure == "disk I/O error")
        clock.advance(by: .seconds(1))
        await writing.finish()
        #expect(writing.writer.current.everythingStored && writing.writer.current.barsInserted == 8)
        #expect(try await store.barCount(symbol: F.symbol("AAPL"), timeframe: .oneDay) == 8)
    }

    /// Bars sent again with other values are revisions, counted per window and by the writer.
    @Test func barsFetchedAgainWithOtherValuesAreCountedAsRevisions() async throws {
        let store = InMemoryStore()
        let writing = RunningStoreWriter(store)
        // Weekly bars are not judged by the market calendar: every run fetches the whole range again.
        let weeks = ["2025-12-22", "2025-12-29"].map { F.bar(source: "scripted", timeframe: .oneWeek, start: Self.day($0)) }
        let first = await backfill(ScriptedSource(history: weeks), store, writing.writer)
            .run(symbol: F.symbol("AAPL"), timeframe: .oneWeek, range: Self.range)
        #expect(first.stored == 2 && first.revised == 0)
        var changed = weeks
        changed[1].volume += 1
        let second = await backfill(ScriptedSource(history: changed), store, writing.writer)
            .run(symbol: F.symbol("AAPL"), timeframe: .oneWeek, range: Self.range)
        #expect(second.stored == 0 && second.alreadyStored == 1 && second.revised == 1)
        await writing.finish()
        #expect(writing.writer.current.barsRevised == 1 && writing.writer.current.revisedBySource == ["scripted": 1])
    }
}

/// A `StoreWriter` on `store`, running until `finish()`: what backfills write through. It runs in
/// a `ServiceRig`, so a test that ends before `finish()` leaves nothing running.
struct RunningStoreWriter {
    let writer: StoreWriter
    private let services: ServiceRig

    init(_ store: any MarketStore, clock: ManualClock = ManualClock()) {
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(1), clock: clock, timeSource: clock,
            logger: Logger(label: "test.store-writer"))
        self.writer = writer
        services = ServiceRig([("store-writer", FinishedOnShutdown(writer: writer))])
    }

    /// Ends the writer's input and returns once it has written everything.
    func finish() async {
        await services.stop()
    }

    /// The writer as the app stops it (`IngestService`): a graceful shutdown ends its input.
    private struct FinishedOnShutdown: Service {
        let writer: StoreWriter
        func run() async {
            await withGracefulShutdownHandler {
                await writer.run()
            } onGracefulShutdown: {
                writer.finish()
            }
        }
    }
}
