import DequeModule

/// The one actor that owns live market state: the latest quote per symbol per
/// source, the selected quote per symbol, recent bars, source health and recent
/// anomalies. Every change bumps the generation and is published as an
/// immutable `MarketSnapshot` to subscribers.
public actor MarketState {
    /// How priorities and thresholds are set.
    public struct Settings: Sendable {
        /// `general.stale_after`: the fallback threshold, reported in snapshots.
        public var staleAfter: Duration
        /// Thresholds by asset class and session, and the alert hysteresis.
        public var freshness: FreshnessPolicy
        /// The calendar that decides sessions.
        public var calendar: MarketCalendar
        /// Minute bars kept per symbol and source.
        public var recentBarLimit: Int
        /// Daily bars kept per symbol and source (for previous closes).
        public var recentDailyLimit: Int
        /// Anomalies kept in memory (all are stored).
        public var anomalyLimit: Int
        /// A symbol with a quarantined value this recent is flagged `quarantined`.
        public var quarantineWindow: Duration
        /// Hysteresis for choosing among sources.
        public var selection: SourceSelector.Settings
        /// When sources quoting the same symbol count as disagreeing.
        public var consensus: ConsensusChecker

        /// Without `freshness`, every threshold follows `staleAfter` (`FreshnessPolicy(staleAfter:)`).
        public init(
            staleAfter: Duration = .seconds(60), freshness: FreshnessPolicy? = nil, calendar: MarketCalendar = .nyse,
            recentBarLimit: Int = 600, recentDailyLimit: Int = 30,
            anomalyLimit: Int = 500, quarantineWindow: Duration = .seconds(300),
            selection: SourceSelector.Settings = .init(), consensus: ConsensusChecker = .init()
        ) {
            self.staleAfter = staleAfter
            self.freshness = freshness ?? FreshnessPolicy(staleAfter: staleAfter)
            self.calendar = calendar
            self.recentBarLimit = recentBarLimit
            self.recentDailyLimit = recentDailyLimit
            self.anomalyLimit = anomalyLimit
            self.quarantineWindow = quarantineWindow
            self.selection = selection
            self.consensus = consensus
        }
    }

    /// A configured source and its place in the preference order (lower is preferred).
    public struct SourceEntry: Sendable {
        public var id: SourceID
        public var kind: String
        public var priority: Int
        /// The state to show before the source reports (e.g. `disabled`, `no-key`).
        public var state: HealthState
        public var detail: String?
        /// How often the source is polled, for a polled source: it is not silent between polls.
        public var pollInterval: Duration?
        public init(
            id: SourceID, kind: String, priority: Int, state: HealthState = .starting, detail: String? = nil,
            pollInterval: Duration? = nil
        ) {
            self.id = id
            self.kind = kind
            self.priority = priority
            self.state = state
            self.detail = detail
            self.pollInterval = pollInterval
        }
    }

    public let settings: Settings
    let timeSource: any TimeSource
    var watchlist: [Symbol]
    var priorities: [SourceID: Int] = [:]
    var sourceOrder: [SourceID] = []
    /// Every source's health, per source and part: the one owner of health (see `HealthBook`).
    var healthBook = HealthBook()
    /// What each source shows (read by selection, alerts and freshness).
    var health: [SourceID: SourceHealth] { healthBook.sources }
    var quotes: [Symbol: [SourceID: Quote]] = [:]
    var minuteBars: [Symbol: [SourceID: Deque<Bar>]] = [:]
    var dailyBars: [Symbol: [SourceID: Deque<Bar>]] = [:]
    /// Each source's latest previous-close field per symbol, kept apart from its quotes (a stream
    /// trade without the field does not erase the one its REST quote carried).
    var reportedCloses: [Symbol: [SourceID: ReportedPreviousClose]] = [:]
    var anomalies = Deque<Anomaly>()
    var anomalyCount = 0
    var quarantinedCount = 0
    var anomaliesPerSymbol: [Symbol: Int] = [:]
    var lastQuarantine: [Symbol: Timestamp] = [:]
    var generation: UInt64 = 0
    /// Alerts, newest first: every open one plus the most recently cleared.
    var alerts: [Alert] = []
    /// Per open freshness alert (by id): when values began arriving again (hysteresis).
    var recoveringSince: [String: Timestamp] = [:]
    /// Freshness per asset class in the minute last asked about (sessions cost a time-zone lookup).
    var freshnessMemo: (minute: Int64, byClass: [AssetClass: Freshness])?
    /// Health transitions not yet handed out by `tick()` (bounded by `pendingTransitionLimit`).
    var pendingTransitions: [HealthTransition] = []
    static let pendingTransitionLimit = 1000
    /// Alerts stored by earlier runs, newest first (shown as history, never re-evaluated).
    var earlierAlerts: [Alert] = []
    /// Alerts raised, updated or cleared by the current evaluation, for storage.
    var alertChanges: [Alert] = []
    let startedAt: Timestamp
    var selector: SourceSelector
    /// The source shown per symbol, as the selector last decided.
    var selection: [Symbol: SourceID] = [:]
    var failoverReasons: [Symbol: String] = [:]
    var disagreements: [Symbol: [ConsensusChecker.Disagreement]] = [:]
    var subscribers: [Int: AsyncStream<MarketSnapshot>.Continuation] = [:]
    /// Readers of `generations()`, told the new generation at every change.
    var generationSubscribers: [Int: AsyncStream<UInt64>.Continuation] = [:]
    var nextSubscriberID = 0
    /// Poll intervals of polled sources (see `SourceEntry.pollInterval`).
    var pollIntervals: [SourceID: Duration] = [:]

    public init(watchlist: [Symbol], sources: [SourceEntry], settings: Settings = Settings(), timeSource: any TimeSource) {
        self.watchlist = watchlist
        self.settings = settings
        self.timeSource = timeSource
        self.startedAt = timeSource.now()
        self.selector = SourceSelector(settings: settings.selection)
        for entry in sources.sorted(by: { ($0.priority, $0.id) < ($1.priority, $1.id) }) {
            priorities[entry.id] = entry.priority
            pollIntervals[entry.id] = entry.pollInterval
            sourceOrder.append(entry.id)
            healthBook.configure(entry.id, kind: entry.kind, state: entry.state, detail: entry.detail, at: startedAt)
        }
    }

    // MARK: - Applying changes

    /// Applies one batch of validated values, anomalies and health changes as
    /// one generation, re-selecting sources for the symbols it touched. Returns
    /// the anomalies it derived (sources that began to disagree), for storage.
    @discardableResult
    public func apply(_ update: StateUpdate) -> [Anomaly] {
        var touched: Set<Symbol> = []
        for event in update.accepted {
            switch event {
            case .quote(let quote):
                remember(previousCloseOf: quote)
                // A value older than the source's latest came by a slower path (a poll behind its
                // stream): not newer, so it does not replace the newer one.
                if let held = quotes[quote.symbol]?[quote.source], held.exchangeTime > quote.exchangeTime { continue }
                quotes[quote.symbol, default: [:]][quote.source] = quote
                healthBook.received(quote.symbol, from: quote.source)
                touched.insert(quote.symbol)
            case .bar(let bar): insert(bar)
            case .trade: break
            }
        }
        for anomaly in update.anomalies { record(anomaly) }
        for event in update.health { applyHealth(event) }
        let derived: [Anomaly]
        if !update.health.contains(where: \.canChangeState) {
            derived = reevaluate(touched, at: timeSource.now())
        } else {
            derived = reevaluate(Set(quotes.keys), at: timeSource.now())  // a source's state changed: every symbol
        }
        generation &+= 1
        publish()
        return derived
    }

    /// Shows alerts stored by earlier runs (what happened while ticktop was not running).
    public func restoreEarlierAlerts(_ stored: [Alert]) {
        earlierAlerts = stored.sorted { $0.raisedAt > $1.raisedAt }
        generation &+= 1
        publish()
    }

    /// Replaces the watched symbols (their order is the display order).
    public func setWatchlist(_ symbols: [Symbol]) {
        watchlist = symbols
        selector.retain(Set(symbols))
        // A failing part none of whose symbols is watched any more is no longer asked: drop it.
        for moved in healthBook.retain(watched: Set(symbols), at: timeSource.now()) { queue(moved) }
        generation &+= 1
        publish()
    }

    /// Keeps a quote's previous-close field unless the source already gave one for a later session.
    func remember(previousCloseOf quote: Quote) {
        guard let close = quote.previousClose, close > 0 else { return }
        let session = previousCloseRule.session(of: quote.symbol.assetClass, at: quote.exchangeTime)
        if let held = reportedCloses[quote.symbol]?[quote.source], held.quoteSession > session { return }
        reportedCloses[quote.symbol, default: [:]][quote.source] = ReportedPreviousClose(close: close, quoteSession: session)
    }

    var previousCloseRule: PreviousCloseRule { PreviousCloseRule(calendar: settings.calendar) }

    func insert(_ bar: Bar) {
        switch bar.timeframe {
        case .oneMinute:
            Self.insert(bar, into: &minuteBars[bar.symbol, default: [:]][bar.source, default: []], limit: settings.recentBarLimit)
        case .oneDay:
            Self.insert(bar, into: &dailyBars[bar.symbol, default: [:]][bar.source, default: []], limit: settings.recentDailyLimit)
        default:
            break
        }
    }

    /// Keeps bars ordered by start with one bar per start, at most `limit` of the newest.
    static func insert(_ bar: Bar, into bars: inout Deque<Bar>, limit: Int) {
        if let last = bars.last, last.start >= bar.start {
            if last.start == bar.start {
                bars[bars.count - 1] = bar
                return
            }
            guard let index = bars.firstIndex(where: { $0.start >= bar.start }) else { return }
            if bars[index].start == bar.start { bars[index] = bar } else { bars.insert(bar, at: index) }
        } else {
            bars.append(bar)
        }
        while bars.count > limit { bars.removeFirst() }
    }

    func record(_ anomaly: Anomaly) {
        anomalies.prepend(anomaly)
        while anomalies.count > settings.anomalyLimit { anomalies.removeLast() }
        anomalyCount += 1
        anomaliesPerSymbol[anomaly.symbol, default: 0] += 1
        if anomaly.quarantined {
            quarantinedCount += 1
            lastQuarantine[anomaly.symbol] = max(lastQuarantine[anomaly.symbol] ?? .zero, anomaly.detectedAt)
        }
    }

    /// Hands one health fact to the book; a source it did not know yet is shown last.
    func applyHealth(_ event: HealthFact) {
        let moved = healthBook.reduce(event, at: timeSource.now())
        for id in healthBook.sources.keys where priorities[id] == nil {
            priorities[id] = Int.max
            sourceOrder.append(id)
        }
        if let moved { queue(moved) }
    }

    /// Keeps a transition for the alert monitor to log and store (see `tick()`).
    private func queue(_ transition: HealthTransition) {
        if pendingTransitions.count >= Self.pendingTransitionLimit { pendingTransitions.removeFirst() }
        pendingTransitions.append(transition)
    }

    // MARK: - Subscribers

    func addSubscriber(_ continuation: AsyncStream<MarketSnapshot>.Continuation) -> Int {
        nextSubscriberID += 1
        subscribers[nextSubscriberID] = continuation
        return nextSubscriberID
    }

    func removeSubscriber(_ id: Int) {
        subscribers[id] = nil
        generationSubscribers[id] = nil
    }

    func priority(of source: SourceID) -> Int { priorities[source] ?? Int.max }

    /// The current generation, without building a snapshot (for pollers deciding whether to redraw).
    public var currentGeneration: UInt64 { generation }
}
