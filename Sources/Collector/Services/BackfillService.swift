import Logging
import ServiceLifecycle

/// For one source and every watched symbol (at start, and for symbols added
/// later): loads recent bars from the store into live state (history survives
/// restarts), then fetches only the bars missing from the store within the
/// configured depth (planned by `BackfillPlanner` from what is stored, so holes
/// left by an interrupted run are filled too) and sends them through the
/// pipeline as history. The start-up round marks `progress` finished.
///
/// Graceful shutdown sends no further request (`ProviderRequests.draining`): one waiting for the
/// provider's rate limiter (minutes on a small plan, hours after a daily-quota note) is
/// withdrawn at once, and one already sent (spent) is answered, stopped before a further page,
/// and its bars go through the pipeline to the store before it closes, so the next run does not
/// ask for them again. That wait is bounded: after `ProviderRequests.drainDeadline` the work is
/// cancelled (an answer not in by then is lost). The windows not fetched stay in
/// `progress.pending` and the start-up round is not marked finished. Nothing is marked done in
/// the store, so the next run plans them from what is stored.
///
/// A symbol that stops being watched on the way (its fleet lease moved to another collector,
/// or the user took it off the watchlist) is left at once: no request is spent on it after
/// that, its windows are neither fetched nor pending. A fleet hand-over settles its requests
/// under way (`history`): one already spent is waited for, one waiting for budget is withdrawn. A symbol that comes back (its lease returned)
/// is backfilled again, planned from what is stored then.
package struct BackfillService: Service {
    package struct Depth: Sendable, Hashable {
        package var dailyDays: Int
        package var minuteDays: Int
        package var recentMinuteBars: Int
        package init(dailyDays: Int = 400, minuteDays: Int = 7, recentMinuteBars: Int = 600) {
            self.dailyDays = dailyDays
            self.minuteDays = minuteDays
            self.recentMinuteBars = recentMinuteBars
        }

        /// The depth a provider's budget allows: with fewer than one request a minute on
        /// average (Alpha Vantage's 25 a day), minute history is not fetched at start, so the
        /// budget goes to quotes; `ticktop backfill` can still fetch it on purpose.
        package func affordable(within limit: RateLimit?) -> Depth {
            guard let limit, limit.ratePerSecond < 1.0 / 60 else { return self }
            var depth = self
            depth.minuteDays = 0
            return depth
        }
    }

    let source: any MarketDataSource
    let watched: WatchedSymbols
    let store: any MarketStore
    let state: MarketState
    let pipeline: IngestPipeline
    let progress: BackfillProgress
    let depth: Depth
    let timeSource: any TimeSource
    /// Times the drain's deadline.
    let clock: any Clock<Duration>
    let logger: Logger
    /// Its requests under way, which a fleet hand-over settles and a shutdown drains (`ProviderRequests`).
    let history: ProviderRequests
    let planner = BackfillPlanner()

    /// The clock sleep of the drain's deadline.
    package static let drainPurpose = "backfill drain"

    package init(
        source: any MarketDataSource, watched: WatchedSymbols, store: any MarketStore, state: MarketState,
        pipeline: IngestPipeline, progress: BackfillProgress, depth: Depth, timeSource: any TimeSource,
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger, history: ProviderRequests = ProviderRequests()
    ) {
        self.history = history
        self.clock = clock
        self.source = source
        self.watched = watched
        self.store = store
        self.state = state
        self.pipeline = pipeline
        self.progress = progress
        self.depth = depth
        self.timeSource = timeSource
        self.logger = logger
    }

    package func run() async {
        // History is made and fetched on the shared pool, beside the thread that the live data's
        // tasks may prefer (`CoreThread`): there a start-up backfill would queue behind them.
        await withTaskExecutorPreference(globalConcurrentExecutor) { await backfillWatched() }
    }

    private func backfillWatched() async {
        // Each symbol backfilled, with the stay in the watched set it was backfilled for: one that
        // left (its lease went to another collector) and came back is planned again from what is
        // stored, so the gap while it was away is filled (a gap another holder filled costs nothing).
        var done: [Symbol: Int] = [:]
        var first = true
        await watched.follower().forEach { symbols in
            let stays = Dictionary(symbols.map { ($0, watched.stay(of: $0)) }) { kept, _ in kept }
            let added = symbols.filter { symbol in done[symbol] == nil || done[symbol] != stays[symbol] ?? nil }
            // The service group waits for this service on shutdown: the fetches must not outlive it.
            let (completed, unwatched) = await history.draining(source.id, clock: clock, purpose: Self.drainPurpose) {
                var unwatched: Set<Symbol> = []
                return (await backfill(added, unwatched: &unwatched), unwatched)
            }
            guard completed else {
                // Only cancellation or graceful shutdown interrupts it: either ends the loop too.
                logger.info("backfill interrupted", metadata: ["source": "\(source.id)"])
                return
            }
            for symbol in added where !unwatched.contains(symbol) { done[symbol] = stays[symbol] ?? nil }
            if first {
                first = false
                await progress.update(source.id) { $0.finished = true }
                // A fleet collector may hold no symbol yet at start: `symbols=0` says so.
                logger.info("backfill finished", metadata: ["source": "\(source.id)", "symbols": "\(added.count)"])
            }
        }
    }

    /// Loads stored bars for `symbols` into state and fetches what is missing. Returns false
    /// when cancelled before every window was tried (those stay in `progress.pending`).
    @discardableResult
    package func backfill(_ symbols: [Symbol]) async -> Bool {
        var unwatched: Set<Symbol> = []
        return await backfill(symbols, unwatched: &unwatched)
    }

    /// `backfill(_:)`, adding to `unwatched` the symbols left because they stopped being watched.
    private func backfill(_ symbols: [Symbol], unwatched: inout Set<Symbol>) async -> Bool {
        guard !symbols.isEmpty else { return true }
        let plan: [(Timeframe, Int)] = [(.oneDay, depth.dailyDays), (.oneMinute, depth.minuteDays)]
        let windows: [BackfillProgress.Window] =
            !source.capabilities.contains(.historyBars)
            ? []
            : symbols.flatMap { symbol in
                plan.filter { $0.1 > 0 }.map { BackfillProgress.Window(symbol: symbol, timeframe: $0.0, days: $0.1) }
            }
        await progress.update(source.id) { $0.pending += windows }
        await loadStoredBars(symbols)
        for window in windows {
            if Task.isCancelled || Task.isShuttingDownGracefully { return false }
            let outcome: Fill =
                if unwatched.contains(window.symbol) {
                    .unwatched
                } else {
                    await fill(window.symbol, window.timeframe, days: window.days)
                }
            switch outcome {
            case .cancelled: return false
            case .throttled: continue  // not fetched: stays pending
            case .done, .unwatched:
                if outcome == .unwatched { unwatched.insert(window.symbol) }
                await progress.update(source.id) { entry in
                    if let index = entry.pending.firstIndex(of: window) { entry.pending.remove(at: index) }
                }
            }
        }
        return true
    }

    /// Puts the newest stored bars back into live state, without storing them again.
    private func loadStoredBars(_ symbols: [Symbol]) async {
        var loaded: [MarketEvent] = []
        for symbol in symbols {
            do {
                let minute = try await store.recentBars(
                    symbol: symbol, timeframe: .oneMinute, source: source.id, limit: depth.recentMinuteBars)
                let daily = try await store.recentBars(symbol: symbol, timeframe: .oneDay, source: source.id, limit: 30)
                loaded += (daily + minute).map(MarketEvent.bar)
            } catch {
                await recordError("reading stored bars for \(symbol) failed: \(error)")
            }
        }
        let count = loaded.count
        if count > 0 { await state.apply(accepted: loaded) }
        await progress.update(source.id) { $0.barsLoadedFromStore += count }
    }

    /// How one window went.
    private enum Fill {
        /// Fetched, or failed for good (the error is recorded).
        case done
        /// Refused by a throttle or quota pause: not fetched yet (the next run asks again).
        case throttled
        /// Stopped by shutdown: not an error, not fetched.
        case cancelled
        /// The symbol is no longer watched: left, not fetched, nothing pending.
        case unwatched
    }

    private func fill(_ symbol: Symbol, _ timeframe: Timeframe, days: Int) async -> Fill {
        guard watched.symbols.contains(symbol) else { return .unwatched }
        let now = timeSource.now()
        let window = (now - .seconds(Int64(days) * 86_400))...now
        var stored: [Timestamp] = []
        do {
            stored = try await store.barStarts(symbol: symbol, timeframe: timeframe, source: source.id, in: window)
        } catch {
            await recordError("reading the stored \(timeframe.rawValue) bars of \(symbol) failed: \(error)")
        }
        let plan = planner.plan(
            symbol, timeframe, in: window, stored: stored, barsPerRequest: source.historyBarsPerRequest)
        await progress.judged(symbol, timeframe, window)
        let known = Set(stored)
        let source = source
        for request in plan.requests {
            if Task.isCancelled || Task.isShuttingDownGracefully { return .cancelled }
            // Under way from before the check, until its bars are in the pipeline: a fleet hand-over
            // that stops watching the symbol after the check waits for it or withdraws it.
            let ticket = history.begin(symbol, source: source.id)
            defer { history.end(ticket) }
            guard watched.symbols.contains(symbol) else { return .unwatched }
            do {
                let bars = try await history.fetch(ticket) {
                    try await source.historyBars(for: symbol, timeframe: timeframe, in: request)
                }.filter { !known.contains($0.start) }
                await progress.update(source.id) { $0.requests += 1 }
                guard !bars.isEmpty else { continue }
                await pipeline.send(
                    IngestBatch(origin: .history, events: bars.map(MarketEvent.bar)), maxQueued: Self.batchesAhead,
                    storeRowsBelow: Self.rowsAheadOfStore)
                await progress.update(source.id) { $0.barsFetched += bars.count }
            } catch {
                // Withdrawn by a fleet hand-over before it was spent: its successor fetches the window.
                if !Task.isCancelled && !watched.symbols.contains(symbol) { return .unwatched }
                // A cancelled request may surface as any error (the transport's, say): not a failure.
                if error is CancellationError || Task.isCancelled { return .cancelled }
                await recordError("backfill of \(timeframe.rawValue) bars for \(symbol) failed: \(error)")
                let failure = HealthFact.Failure(
                    .history((error as? ProviderError)?.kind), message: "backfill failed: \(error)", at: timeSource.now())
                pipeline.submit(IngestBatch(health: [.failed(source.id, failure)]))
                return Self.healthState(after: error) == .rateLimited ? .throttled : .done
            }
        }
        return .done
    }

    /// History batches queued in the pipeline at most: each holds a request's worth of bars (up to
    /// 10,000), and up to the pipeline's capacity of them (256) waited in memory at start (48 MB
    /// of 65 MB at the heap's peak with 50 simulated symbols). The pipeline takes one at a time,
    /// so two keep it busy.
    static let batchesAhead = 2

    /// History rows the store writer may have left to write before the next request's bars are
    /// sent: the store writes bars about three times slower than the pipeline applies them, and
    /// without this bound the writer's queue held the rest of the history (38 MB of a 61 MB heap
    /// peak with 50 simulated symbols). A bound of one request's worth keeps the writer busy.
    package static let rowsAheadOfStore = 10_000

    /// A history failure only degrades the source: its quotes may still be fine, so it must not
    /// cause a failover. A throttle shows as such (it holds every request of the provider).
    static func healthState(after error: any Error) -> HealthState {
        HealthBook.state(after: .history((error as? ProviderError)?.kind))
    }

    private func recordError(_ message: String) async {
        logger.error("\(message)", metadata: ["source": "\(source.id)"])
        await progress.update(source.id) { $0.errors.append(message) }
    }
}
