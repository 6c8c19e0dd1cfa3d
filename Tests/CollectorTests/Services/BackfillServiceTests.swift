import Collector
import CollectorTestSupport
import Foundation
import Logging
import Synchronization
import Testing

private let F = MarketFixtures.self

@Suite("Backfill service", .stopsItsRigs)
struct BackfillServiceTests {
    struct Rig {
        let clock = FixedTimeSource(F.baseTime)
        let aapl = F.symbol("AAPL")
        let store = InMemoryStore()
        let sink = RecordingStoreSink()
        let state: MarketState
        let pipeline: IngestPipeline

        init() {
            state = MarketState(
                watchlist: [aapl], sources: [.init(id: "scripted", kind: "scripted", priority: 1)], timeSource: clock)
            pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, logger: .quiet())
        }

        func backfill(_ source: ScriptedSource, progress: BackfillProgress) -> BackfillService {
            BackfillService(
                source: source, watched: WatchedSymbols([aapl]), store: store, state: state, pipeline: pipeline,
                progress: progress,
                depth: .init(dailyDays: 0, minuteDays: 1, recentMinuteBars: 30), timeSource: clock, logger: .quiet())
        }
    }

    @Test func fetchesTheDepthWhenNothingIsStored() async throws {
        let rig = Rig()
        let history = F.minuteBars(source: "scripted", count: 120, start: rig.clock.now() - .seconds(7_200))
        let source = ScriptedSource(history: history)
        let progress = BackfillProgress(sources: [source.id])
        let service = rig.backfill(source, progress: progress)
        let services = ServiceRig([("backfill", service)])
        try await withSafetyLimit { await progress.waitUntilFinished() }
        await services.stop()
        rig.pipeline.finish()
        await rig.pipeline.run()

        #expect(source.historyRequests == [(rig.clock.now() - .seconds(86_400))...rig.clock.now()])
        let report = await progress.report()
        #expect(report.first?.finished == true, "the start-up round marks the source finished")
        #expect(report.first?.barsFetched == 120)
        #expect(report.first?.barsLoadedFromStore == 0)
        #expect(rig.sink.batches.flatMap(\.bars) == history, "fetched history goes through the pipeline to the store")
        #expect(await rig.state.snapshot().symbol(rig.aapl)?.lastBar == history.last)
    }

    /// The live data's tasks may prefer the core thread; the backfill's own task runs on the
    /// shared pool beside it. (On the core thread each of its steps waited behind the live
    /// data's: the start-up backfill of 50 simulated symbols took a fifth longer.)
    @Test func theBackfillRunsOffTheCoreThread() async throws {
        /// The rig's time, noting the thread of each reading (the backfill reads it in its own task).
        final class ThreadNoting: TimeSource {
            let base: FixedTimeSource
            init(base: FixedTimeSource) { self.base = base }
            let threads = Mutex<Set<String>>([])
            func now() -> Timestamp {
                threads.withLock { _ = $0.insert(Thread.current.name ?? "unnamed") }
                return base.now()
            }
        }
        let rig = Rig()
        let history = F.minuteBars(source: "scripted", count: 120, start: rig.clock.now() - .seconds(7_200))
        let source = ScriptedSource(history: history)
        let progress = BackfillProgress(sources: [source.id])
        let time = ThreadNoting(base: rig.clock)
        let service = BackfillService(
            source: source, watched: WatchedSymbols([rig.aapl]), store: rig.store, state: rig.state,
            pipeline: rig.pipeline, progress: progress, depth: .init(dailyDays: 0, minuteDays: 1, recentMinuteBars: 30),
            timeSource: time, logger: .quiet())
        let core = CoreThread(name: "core-backfill")
        let draining = Task { await rig.pipeline.run() }
        let running = Task(executorPreference: core) { await service.run() }
        try await withSafetyLimit { await progress.waitUntilFinished() }
        running.cancel()
        await running.value
        rig.pipeline.finish()
        await draining.value
        #expect(source.historyRequests.count == 1)
        #expect(!time.threads.withLock { $0.isEmpty }, "the backfill read the time")
        // (A thread's name is cut to 15 bytes on Linux: the core's is kept shorter.)
        #expect(!time.threads.withLock { $0.contains("core-backfill") }, "\(time.threads.withLock { $0 })")
    }

    /// A fleet lease that moves away (or a symbol taken off the watchlist) mid-backfill: not one
    /// more request for it, nothing left pending, and it is backfilled again if it comes back.
    @Test func aSymbolNoLongerWatchedIsLeftWithoutAnotherRequest() async throws {
        let rig = Rig()
        let msft = F.symbol("MSFT")
        let start = rig.clock.now() - .seconds(7_200)
        let history =
            F.minuteBars(source: "scripted", count: 120, start: start)
            + F.minuteBars("MSFT", source: "scripted", count: 120, start: start)
        let watched = WatchedSymbols([rig.aapl, msft])
        // The first request (AAPL's) is when the lease on MSFT moves to another collector.
        let source = ScriptedSource(history: history) { _ in watched.set([rig.aapl]) }
        let progress = BackfillProgress(sources: [source.id])
        let service = BackfillService(
            source: source, watched: watched, store: rig.store, state: rig.state, pipeline: rig.pipeline,
            progress: progress, depth: .init(dailyDays: 0, minuteDays: 1, recentMinuteBars: 30), timeSource: rig.clock,
            logger: .quiet())

        let draining = Task { await rig.pipeline.run() }  // fetched bars must not wait for room
        #expect(await service.backfill([rig.aapl, msft]), "every window was tried")
        #expect(source.historySymbols == [rig.aapl], "no request for MSFT once it is no longer watched")
        #expect(await progress.report().first?.pending == [], "a window left for that reason is not pending history")

        watched.set([rig.aapl, msft])
        #expect(await service.backfill([msft]))
        #expect(source.historySymbols == [rig.aapl, msft], "watched again, it is fetched")
        rig.pipeline.finish()
        await draining.value
    }

    /// A symbol handed to another collector and later handed back is planned again from what is
    /// stored: the gap left while it was away is fetched, and a series another holder filled
    /// meanwhile costs no request. (The service remembered it as done and fetched nothing.)
    @Test func aSymbolThatComesBackIsPlannedAgainFromWhatIsStored() async throws {
        let rig = Rig()
        let (goog, msft) = (F.symbol("GOOG"), F.symbol("MSFT"))
        let start = rig.clock.now() - .seconds(7_200)
        let googBars = F.minuteBars("GOOG", source: "scripted", count: 120, start: start)
        let msftBars = F.minuteBars("MSFT", source: "scripted", count: 120, start: start)
        let history = F.minuteBars(source: "scripted", count: 120, start: start) + googBars + msftBars
        let (requests, requested) = AsyncStream.makeStream(of: Symbol.self)
        let source = ScriptedSource(history: history) { _ = requested.yield($0) }
        let watched = WatchedSymbols([rig.aapl, goog, msft])
        let progress = BackfillProgress(sources: [source.id])
        let service = BackfillService(
            source: source, watched: watched, store: rig.store, state: rig.state, pipeline: rig.pipeline,
            progress: progress, depth: .init(dailyDays: 0, minuteDays: 1, recentMinuteBars: 30), timeSource: rig.clock,
            logger: .quiet())
        let draining = Task { await rig.pipeline.run() }
        let services = ServiceRig([("backfill", service)])
        try await withSafetyLimit { await progress.waitUntilFinished() }
        #expect(source.historySymbols == [rig.aapl, goog, msft])

        // GOOG and MSFT go to another collector, which stores all of GOOG and MSFT's first 100 minutes.
        watched.set([rig.aapl])
        try await rig.store.write(StoreBatch(bars: googBars + Array(msftBars.prefix(100))))
        watched.set([rig.aapl, goog, msft])
        // GOOG's window is judged before MSFT's: MSFT's request proves GOOG's asked for nothing.
        try await withSafetyLimit {
            var seen = 0
            for await symbol in requests where symbol == msft {
                seen += 1
                if seen == 2 { return }
            }
        }
        #expect(source.historySymbols == [rig.aapl, goog, msft, msft], "GOOG is stored whole: no request")
        #expect(source.historyRequests.last == (msftBars[99].start + .seconds(60))...rig.clock.now(), "only MSFT's gap")
        await services.stop()
        rig.pipeline.finish()
        await draining.value
    }

    @Test func loadsStoredBarsAndFetchesOnlyTheGap() async throws {
        let rig = Rig()
        let all = F.minuteBars(source: "scripted", count: 120, start: rig.clock.now() - .seconds(7_200))
        try await rig.store.write(StoreBatch(bars: Array(all.prefix(100))))
        let source = ScriptedSource(history: all)
        let progress = BackfillProgress(sources: [source.id])
        await rig.backfill(source, progress: progress).backfill([rig.aapl])
        rig.pipeline.finish()
        await rig.pipeline.run()

        let lastStored = all[99].start
        #expect(source.historyRequests == [(lastStored + .seconds(60))...rig.clock.now()])
        let report = await progress.report()
        #expect(report.first?.barsLoadedFromStore == 30, "the newest recentMinuteBars come back from the store")
        #expect(report.first?.barsFetched == 20)
        #expect(rig.sink.batches.flatMap(\.bars) == Array(all.suffix(20)), "stored bars are not written again")
        let closes = await rig.state.snapshot().symbol(rig.aapl)?.recentCloses
        #expect(closes == all.suffix(50).map(\.close), "live state holds the 30 stored and 20 fetched bars, in order")
    }

    /// The store writes history slower than the pipeline takes it: each request's bars wait for
    /// room in the store's queue before they are sent, so the history does not pile up in memory.
    @Test func historyWaitsForRoomInTheStoreBeforeItIsSent() async throws {
        let clock = FixedTimeSource(F.baseTime)
        let aapl = F.symbol("AAPL")
        let sink = RoomHoldingSink()
        let state = MarketState(
            watchlist: [aapl], sources: [.init(id: "scripted", kind: "scripted", priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, logger: .quiet())
        let history = F.minuteBars(source: "scripted", count: 120, start: clock.now() - .seconds(7_200))
        let source = ScriptedSource(history: history)
        let progress = BackfillProgress(sources: [source.id])
        let service = BackfillService(
            source: source, watched: WatchedSymbols([aapl]), store: InMemoryStore(), state: state, pipeline: pipeline,
            progress: progress, depth: .init(dailyDays: 0, minuteDays: 1, recentMinuteBars: 30), timeSource: clock,
            logger: .quiet())
        let services = ServiceRig([("backfill", service)])

        let limit = try await withSafetyLimit { await sink.firstAsk() }
        #expect(limit == BackfillService.rowsAheadOfStore)
        #expect(source.historyRequests.count == 1)
        #expect(pipeline.queuedBatches == 0, "the fetched bars wait for the store before they enter the pipeline")

        sink.openRoom()
        try await withSafetyLimit { await progress.waitUntilFinished() }
        await services.stop()
        pipeline.finish()
        await pipeline.run()
        #expect(sink.batches.flatMap(\.bars) == history)
    }

    @Test func aLiveBarStoredBeforeTheBackfillDoesNotHideTheHistoryBeforeIt() async throws {
        // A minute turning during the start-up backfill stores a live bar first; the backfill
        // then resumed after it and the symbol kept that one bar, on every later run too.
        let rig = Rig()
        let all = F.minuteBars(source: "scripted", count: 120, start: rig.clock.now() - .seconds(7_200))
        try await rig.store.write(StoreBatch(bars: [all[119]]))
        let source = ScriptedSource(history: all)
        let progress = BackfillProgress(sources: [source.id])
        await rig.backfill(source, progress: progress).backfill([rig.aapl])
        rig.pipeline.finish()
        await rig.pipeline.run()

        let window = (rig.clock.now() - .seconds(86_400))...rig.clock.now()
        #expect(source.historyRequests == [window.lowerBound...(all[119].start - .nanoseconds(1))])
        #expect(rig.sink.batches.flatMap(\.bars) == Array(all.prefix(119)))
        #expect(await progress.report().first?.requests == 1)
        let judged = await progress.judgedWindows()
        #expect(judged.map(\.series) == [BackfillProgress.Series(symbol: rig.aapl, timeframe: .oneMinute)])
        #expect(judged.map(\.window) == [window])
    }

    @Test func waitersAreReleasedWhenEverySourceFinishes() async throws {
        let progress = BackfillProgress(sources: ["a", "b"])
        let waiter = Task { await progress.waitUntilFinished() }
        await progress.update("a") { $0.finished = true }
        #expect(await !progress.allFinished)
        await progress.update("b") { $0.finished = true }
        try await withSafetyLimit { await waiter.value }
        #expect(await progress.allFinished)
    }
}

@Suite("Completion watcher", .stopsItsRigs)
struct CompletionWatcherTests {
    let aapl = F.symbol("AAPL")
    let msft = F.symbol("MSFT")

    /// A state watching AAPL and MSFT, fed by one simulated source, and its watcher.
    func makeWatcher(_ clock: ManualClock) -> (MarketState, CompletionWatcher, CompletionWatcher.OutcomeBox) {
        let state = MarketState(
            watchlist: [aapl, msft], sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: clock)
        let outcome = CompletionWatcher.OutcomeBox()
        let watcher = CompletionWatcher(
            state: state, backfill: BackfillProgress(sources: []), deadline: .seconds(10), clock: clock, outcome: outcome)
        return (state, watcher, outcome)
    }

    /// The rule, on snapshots: a symbol without a value, or a source not heard from yet, holds the run.
    @Test func theRunIsCompleteOnlyWithEveryValueAndEverySourceHeardFrom() async {
        let clock = ManualClock()
        let (state, _, _) = makeWatcher(clock)
        await state.apply(accepted: [.quote(F.quote("AAPL", at: clock.now()))])
        #expect(!CompletionWatcher.isComplete(await state.snapshot()), "MSFT has no value yet")
        await state.apply(accepted: [.quote(F.quote("MSFT", at: clock.now()))])
        #expect(!CompletionWatcher.isComplete(await state.snapshot()), "the source has not reported its state yet")
        await state.apply(health: [.failed(.simulated, .init(.broken, message: "refused", at: clock.now()))])
        #expect(CompletionWatcher.isComplete(await state.snapshot()), "a failed source has been heard from")
    }

    @Test func deadlinePassesWhenASymbolNeverArrives() async throws {
        let clock = ManualClock()
        let (state, watcher, outcome) = makeWatcher(clock)
        let rig = ServiceRig([("once", watcher)])
        await state.apply(accepted: [.quote(F.quote("AAPL", at: clock.now()))])
        try await withSafetyLimit { await clock.waitForSleeper(named: "completion deadline") }
        clock.advance(by: .seconds(9))
        try await withSafetyLimit { await clock.waitForPendingSleeper(named: "completion deadline") }  // not passed yet
        #expect(outcome.outcome == nil)
        clock.advance(by: .seconds(1))
        try await withSafetyLimit { await rig.waitFor(.finished("once")) }
        #expect(outcome.outcome == .deadlinePassed)
    }

    /// Every symbol has a value but the source never reports: the run waits for it until the deadline.
    @Test func aSourceNotHeardFromHoldsTheRunUntilTheDeadline() async throws {
        let clock = ManualClock()
        let (state, watcher, outcome) = makeWatcher(clock)
        let rig = ServiceRig([("once", watcher)])
        await state.apply(accepted: [.quote(F.quote("AAPL", at: clock.now())), .quote(F.quote("MSFT", at: clock.now()))])
        try await withSafetyLimit { await clock.waitForSleeper(named: "completion deadline") }
        clock.advance(by: .seconds(10))
        try await withSafetyLimit { await rig.waitFor(.finished("once")) }
        #expect(outcome.outcome == .deadlinePassed)
    }

    @Test func completesWhenEverySymbolHasAValue() async throws {
        let clock = ManualClock()
        let (state, watcher, outcome) = makeWatcher(clock)
        let rig = ServiceRig([("once", watcher)])
        await state.apply(accepted: [.quote(F.quote("AAPL", at: clock.now()))])
        await state.apply(accepted: [.quote(F.quote("MSFT", at: clock.now()))])
        await state.apply(health: [
            .delivered(.simulated, .init(count: 2, path: .stream, at: clock.now()))
        ])
        try await withSafetyLimit { await rig.waitFor(.finished("once")) }
        #expect(outcome.outcome == .complete)
    }
}

@Suite("Backfill depth")
struct BackfillDepthTests {
    @Test(arguments: [
        (RateLimit(requests: 25, per: .seconds(86_400)), 0),
        (RateLimit(requests: 59, per: .seconds(3600)), 0),
        (RateLimit(requests: 1, per: .seconds(60)), 7),
        (RateLimit(requests: 5, per: .seconds(60)), 7)
    ])
    func minuteHistoryOnlyWhereTheBudgetAffordsIt(limit: RateLimit, minuteDays: Int) {
        let depth = BackfillService.Depth(dailyDays: 400, minuteDays: 7).affordable(within: limit)
        #expect(depth.minuteDays == minuteDays)
        #expect(depth.dailyDays == 400)
    }

    @Test func noLimitNoChange() {
        #expect(BackfillService.Depth(dailyDays: 400, minuteDays: 7).affordable(within: nil).minuteDays == 7)
    }
}
