import Logging
import ServiceLifecycle

/// For one source and every watched symbol (at start, and for symbols added
/// later): loads recent bars from the store into live state (history survives
/// restarts), then fetches only the bars missing from the store within the
/// configured depth (planned by `BackfillPlanner` from what is stored, so holes
/// left by an interrupted run are filled too) and sends them through the
/// pipeline as history. The start-up round marks `progress` finished.
public struct BackfillService: Service {
    public struct Depth: Sendable, Hashable {
        public var dailyDays: Int
        public var minuteDays: Int
        public var recentMinuteBars: Int
        public init(dailyDays: Int = 400, minuteDays: Int = 7, recentMinuteBars: Int = 600) {
            self.dailyDays = dailyDays
            self.minuteDays = minuteDays
            self.recentMinuteBars = recentMinuteBars
        }

        /// The depth a provider's budget allows: with fewer than one request a minute on
        /// average (Alpha Vantage's 25 a day), minute history is not fetched at start, so the
        /// budget goes to quotes; `ticktop backfill` can still fetch it on purpose.
        public func affordable(within limit: RateLimit?) -> Depth {
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
    let logger: Logger
    let planner = BackfillPlanner()

    public init(
        source: any MarketDataSource, watched: WatchedSymbols, store: any MarketStore, state: MarketState,
        pipeline: IngestPipeline, progress: BackfillProgress, depth: Depth, timeSource: any TimeSource, logger: Logger
    ) {
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

    public func run() async {
        var done: Set<Symbol> = []
        var first = true
        for await symbols in await watched.updates().cancelOnGracefulShutdown() {
            let added = symbols.filter { !done.contains($0) }
            await backfill(added)
            done.formUnion(added)
            if first {
                first = false
                await progress.update(source.id) { $0.finished = true }
                logger.info("backfill finished", metadata: ["source": "\(source.id)"])
            }
        }
    }

    /// Loads stored bars for `symbols` into state and fetches what is missing.
    public func backfill(_ symbols: [Symbol]) async {
        guard !symbols.isEmpty else { return }
        await loadStoredBars(symbols)
        guard source.capabilities.contains(.historyBars) else { return }
        let plan: [(Timeframe, Int)] = [(.oneDay, depth.dailyDays), (.oneMinute, depth.minuteDays)]
        for symbol in symbols {
            for (timeframe, days) in plan where days > 0 {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                await fill(symbol, timeframe, days: days)
            }
        }
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
        if count > 0 { await state.apply(StateUpdate(origin: .history, accepted: loaded)) }
        await progress.update(source.id) { $0.barsLoadedFromStore += count }
    }

    /// Fetches what the plan for the series lacks (see `BackfillPlanner`), one request per
    /// planned window; bars the store already holds from this source are not sent again.
    private func fill(_ symbol: Symbol, _ timeframe: Timeframe, days: Int) async {
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
        for request in plan.requests {
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            do {
                let bars = try await source.historyBars(for: symbol, timeframe: timeframe, in: request)
                    .filter { !known.contains($0.start) }
                await progress.update(source.id) { $0.requests += 1 }
                guard !bars.isEmpty else { continue }
                await pipeline.send(IngestBatch(origin: .history, events: bars.map(MarketEvent.bar)))
                await progress.update(source.id) { $0.barsFetched += bars.count }
            } catch {
                await recordError("backfill of \(timeframe.rawValue) bars for \(symbol) failed: \(error)")
                pipeline.submit(
                    IngestBatch(health: [
                        .failed(source.id, state: Self.healthState(after: error), message: "backfill failed: \(error)", at: timeSource.now())
                    ]))
                return
            }
        }
    }

    /// A history failure only degrades the source: its quotes may still be fine, so it must not
    /// cause a failover. A throttle shows as such (it holds every request of the provider).
    static func healthState(after error: any Error) -> HealthState {
        (error as? ProviderError)?.healthState == .rateLimited ? .rateLimited : .degraded
    }

    private func recordError(_ message: String) async {
        logger.error("\(message)", metadata: ["source": "\(source.id)"])
        await progress.update(source.id) { $0.errors.append(message) }
    }
}
