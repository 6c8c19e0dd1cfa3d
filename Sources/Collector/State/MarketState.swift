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
    var health: [SourceID: SourceHealth] = [:]
    /// What the producers last reported for each source as a whole (state, detail), before its
    /// failing parts are folded in (`PartHealthRule`); `health` holds what is shown.
    var reported: [SourceID: (state: HealthState, detail: String?)] = [:]
    /// Each source's failing parts, by name.
    var parts: [SourceID: [String: PartHealth]] = [:]
    /// Why a source has nothing for a symbol, until a quote for it comes from that source.
    var noDataReasons: [Symbol: [SourceID: String]] = [:]
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
    /// (time, count) of recent deliveries and times of recent failures, per source, for rates.
    var deliveries: [SourceID: Deque<(Timestamp, Int)>] = [:]
    var failures: [SourceID: Deque<Timestamp>] = [:]
    var latencies: [SourceID: Deque<(Timestamp, Double)>] = [:]
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
            health[entry.id] = SourceHealth(source: entry.id, kind: entry.kind, state: entry.state, detail: entry.detail)
            health[entry.id]?.stateSince = startedAt
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
                if noDataReasons[quote.symbol]?.removeValue(forKey: quote.source) != nil, noDataReasons[quote.symbol]?.isEmpty == true {
                    noDataReasons[quote.symbol] = nil
                }
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
        let watched = Set(symbols)
        for (id, failing) in parts {
            for (name, part) in failing where !part.symbols.contains(where: watched.contains) {
                applyHealth(.partRecovered(id, part: name, at: timeSource.now()))
            }
        }
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

    func applyHealth(_ event: HealthEvent) {
        switch event {
        case .registered(let id, let kind, let state, let detail):
            if priorities[id] == nil {
                priorities[id] = Int.max
                sourceOrder.append(id)
            }
            health[id] = SourceHealth(source: id, kind: kind, state: state, detail: detail)
            reported[id] = nil
            parts[id] = nil
        case .delivered(let id, let state, let count, let latency, let at):
            // A delivery that moves the source to another state clears the old reason; in the
            // same state the detail stays (a stream's URL and reconnects while its poller delivers).
            let moves = reportedState(id) != state
            // A feed delay below zero is clock skew (the producer says so in the detail): never shown negative.
            let latency = latency.map { max(0, $0) }
            update(id, to: state, at: at) {
                if moves { $0.detail = nil }
                $0.messageCount += count
                $0.lastSuccess = at
                if let latency { $0.latencyMilliseconds = latency }
            }
            record(&deliveries[id, default: []], (at, count), keeping: .seconds(60), now: at) { $0.0 }
            if let latency { record(&latencies[id, default: []], (at, latency), keeping: .seconds(60), now: at) { $0.0 } }
        case .failed(let id, let state, let message, let at):
            // A failure that only degrades (a history request, one lost poll) never lifts a source
            // out of a worse state another part reported: it stays down, paused or throttled, with
            // that reason shown; the failure still counts and is the last error.
            let current = reportedState(id)
            let keep = state == .degraded && (current.map { $0.isUnavailable || $0 == .rateLimited || $0 == .noKey } ?? false)
            update(id, to: keep ? current! : state, at: at) {
                if !keep { $0.detail = message }
                $0.lastError = message
                $0.lastErrorAt = at
                $0.errorCount += 1
            }
            record(&failures[id, default: []], at, keeping: .seconds(60), now: at) { $0 }
        case .changed(let id, let state, let detail):
            update(id, to: state, at: timeSource.now()) { $0.detail = detail }
        case .rateLimit(let id, let remaining):
            update(id) { $0.rateLimitRemaining = remaining }
        case .streamed(let id, let reconnects, let coalesced, let dropped):
            update(id) {
                var counters = $0.stream ?? StreamCounters()
                counters.reconnects += reconnects
                counters.coalesced += coalesced
                counters.dropped += dropped
                $0.stream = counters
            }
        case .partFailed(let id, let part, let at):
            var part = part
            // Failing on in the same state: it has been so since it began.
            if let known = parts[id]?[part.name], known.state == part.state { part.since = known.since }
            parts[id, default: [:]][part.name] = part
            update(id, to: reportedState(id) ?? .starting, at: at) {
                $0.lastError = "\(part.name): \(part.detail)"
                $0.lastErrorAt = at
                $0.errorCount += 1
            }
            record(&failures[id, default: []], at, keeping: .seconds(60), now: at) { $0 }
        case .noData(let id, let symbol, let reason):
            noDataReasons[symbol, default: [:]][id] = reason
        case .partRecovered(let id, let name, let at):
            guard parts[id]?.removeValue(forKey: name) != nil else { return }
            update(id, to: reportedState(id) ?? .starting, at: at) { _ in }
        case .revised(let id, let bars):
            update(id) { $0.barsRevised += bars }
        }
    }

    /// The state the producers last reported for the source as a whole (see `reported`).
    func reportedState(_ id: SourceID) -> HealthState? { reported[id]?.state ?? health[id]?.state }

    /// Moves a source to the reported `state` (`change` sees and edits the reported detail), shows
    /// it with its failing parts folded in (`PartHealthRule`), and counts a transition when what
    /// is shown moves; the transition waits in `pendingTransitions` for the alert monitor to log
    /// and store it. A failing part keeps the source degraded across its other parts' deliveries,
    /// so it moves once, not on every round.
    func update(_ id: SourceID, to state: HealthState, at time: Timestamp, _ change: (inout SourceHealth) -> Void) {
        var moved: HealthTransition?
        let failing = parts[id].map { Array($0.values) } ?? []
        update(id) {
            let previous = $0.state
            var entry = $0
            entry.state = state
            if let reported = reported[id] { entry.detail = reported.detail }
            change(&entry)
            reported[id] = (state, entry.detail)
            let shown = PartHealthRule.shown(reported: state, detail: entry.detail, parts: failing)
            entry.state = shown.state
            entry.detail = shown.detail
            entry.failingParts = failing.isEmpty ? nil : failing.sorted { $0.name < $1.name }
            if previous != shown.state {
                entry.stateSince = time
                entry.transitions += 1
                moved = HealthTransition(source: id, from: previous, to: shown.state, detail: entry.detail, at: time)
            }
            $0 = entry
        }
        if let moved {
            if pendingTransitions.count >= Self.pendingTransitionLimit { pendingTransitions.removeFirst() }
            pendingTransitions.append(moved)
        }
    }

    func update(_ id: SourceID, _ change: (inout SourceHealth) -> Void) {
        var entry = health[id] ?? SourceHealth(source: id, kind: "unknown")
        if health[id] == nil {
            priorities[id] = Int.max
            sourceOrder.append(id)
        }
        change(&entry)
        health[id] = entry
    }

    /// Appends to a time window and drops what fell out of it.
    private func record<T>(
        _ window: inout Deque<T>, _ value: T, keeping span: Duration, now: Timestamp, time: (T) -> Timestamp
    ) {
        window.append(value)
        while let first = window.first, now - time(first) > span { window.removeFirst() }
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
