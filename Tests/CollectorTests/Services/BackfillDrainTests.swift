import CollectorTestSupport
import Foundation
import Logging
import ProviderTestSupport
import Testing

@testable import Collector

/// A graceful shutdown while a history request is on the wire: the request has been spent, so it
/// is answered and its bars are stored before the store closes, and the next run, planning from
/// what is stored, sends no request for that window. (Before, the shutdown cancelled it: its
/// answer was lost and the next run asked for the same window again.) The wait is bounded by
/// `ProviderRequests.drainDeadline`: an answer that does not come ends nothing but itself.
@Suite("Backfill drain on shutdown", .timeLimit(.minutes(1)), .stopsItsRigs)
struct BackfillDrainTests {
    typealias Provider = FleetHandOverHistoryTests.Provider
    static let now = FleetHandOverHistoryTests.now
    static let msft = FleetHandOverHistoryTests.symbol("MSFT")
    static let window = (now - .seconds(864_000))...now

    /// One run of a collector with one Alpaca source and MSFT watched: its backfill, pipeline and
    /// store writer over `store`.
    struct Run: Sendable {
        let clock = ManualClock(epoch: BackfillDrainTests.now)
        let progress: BackfillProgress
        let services: ServiceRig

        init(store: any MarketStore, provider: Provider) {
            // A request is held at the provider as long as the test needs: no real-time timeout may end it.
            let source = AlpacaTestKit.source(provider.server, clock: clock, timeout: .seconds(600))
            let state = MarketState(
                watchlist: [BackfillDrainTests.msft], sources: [.init(id: source.id, kind: source.kind, priority: 1)],
                timeSource: clock)
            let writer = StoreWriter(
                store: store, state: state, batchSize: 1, flushInterval: .seconds(1), clock: clock, timeSource: clock,
                metrics: .off, logger: .quiet())
            let pipeline = IngestPipeline(state: state, sink: writer, timeSource: clock, logger: .quiet())
            progress = BackfillProgress(sources: [source.id])
            let backfill = BackfillService(
                source: source, watched: state.watched, store: store, state: state, pipeline: pipeline, progress: progress,
                depth: .init(dailyDays: 5, minuteDays: 0, recentMinuteBars: 0), timeSource: clock, clock: clock,
                logger: .quiet())
            services = ServiceRig([("ingest", IngestService(pipeline: pipeline, writer: writer)), ("backfill", backfill)])
        }

        /// Shuts the run down while MSFT's request is held, and returns once its backfill drains.
        func stopWhileDraining() async throws -> Task<Void, Never> {
            let stopping = Task { await services.stop() }
            try await withSafetyLimit { await clock.waitForSleeper(named: BackfillService.drainPurpose) }
            return stopping
        }
    }

    @Test func aRequestOnTheWireAtShutdownIsAnsweredAndStoredAndNotAskedAgain() async throws {
        let provider = try await Provider.start(holding: "MSFT")
        let store = InMemoryStore()
        let first = Run(store: store, provider: provider)
        try await withSafetyLimit { await provider.waitForRequest(of: "MSFT") }
        let stopping = try await first.stopWhileDraining()
        provider.release()
        await stopping.value
        let stored = try await store.barStarts(symbol: Self.msft, timeframe: .oneDay, source: nil, in: Self.window)
        #expect(stored.count == 3, "the answer came during the drain and was written")

        let next = Run(store: store, provider: provider)
        try await withSafetyLimit {
            while true {
                let judged = await !next.progress.judgedWindows().isEmpty
                if judged, await next.progress.report().first?.pending.isEmpty == true { return }
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        #expect(provider.count("MSFT") == 1, "the next run found the window stored and asked for nothing")
        await next.services.stop()
        await provider.server.stop()
    }

    @Test func theDrainWaitsNoLongerThanItsDeadline() async throws {
        let provider = try await Provider.start(holding: "MSFT")
        let store = InMemoryStore()
        let run = Run(store: store, provider: provider)
        try await withSafetyLimit { await provider.waitForRequest(of: "MSFT") }
        let stopping = try await run.stopWhileDraining()
        run.clock.advance(by: ProviderRequests.drainDeadline)
        await stopping.value
        let stored = try await store.barStarts(symbol: Self.msft, timeframe: .oneDay, source: nil, in: Self.window)
        #expect(stored.isEmpty, "the answer did not come in time: the request was cancelled")
        provider.release()
        await provider.server.stop()
    }
}
