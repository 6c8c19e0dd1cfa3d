import DequeModule

/// The one actor that owns live market state, a thin shell over pure parts: the quote book,
/// the bar book, the anomaly book, source health, the selection book (shown source, failover,
/// consensus), freshness and the alert book. `apply`, `tick` and `setWatchlist` change them and
/// return what the change produced (`StateOutcome`: what to store, health transitions, alert
/// changes) to their caller, which logs and stores it; the state keeps no outbox. Every change
/// bumps the generation and is published as an immutable `MarketSnapshot` to subscribers, in one
/// place (`advance`).
public actor MarketState {
    /// How priorities and thresholds are set.
    package struct Settings: Sendable {
        /// `general.stale_after`: the fallback threshold, reported in snapshots.
        package var staleAfter: Duration
        /// Thresholds by asset class and session, and the alert hysteresis.
        package var freshness: FreshnessPolicy
        /// The calendar that decides sessions.
        package var calendar: MarketCalendar
        /// Minute bars kept per symbol and source.
        package var recentBarLimit: Int
        /// Daily bars kept per symbol and source (for previous closes).
        package var recentDailyLimit: Int
        /// Anomalies kept in memory (all are stored).
        package var anomalyLimit: Int
        /// A symbol with a quarantined value this recent is flagged `quarantined`.
        package var quarantineWindow: Duration
        /// Hysteresis for choosing among sources.
        package var selection: SourceSelector.Settings
        /// When sources quoting the same symbol count as disagreeing.
        package var consensus: ConsensusChecker

        /// Without `freshness`, every threshold follows `staleAfter` (`FreshnessPolicy(staleAfter:)`).
        package init(
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
    package struct SourceEntry: Sendable {
        package var id: SourceID
        package var kind: String
        package var priority: Int
        /// The state to show before the source reports (e.g. `disabled`, `no-key`).
        package var state: HealthState
        package var detail: String?
        /// How often the source is polled, for a polled source: it is not silent between polls.
        package var pollInterval: Duration?
        package init(
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

    package let settings: Settings
    let timeSource: any TimeSource
    /// The watched symbols, in display order: the one list every collector follows.
    /// `setWatchlist` changes it.
    package nonisolated let watched: WatchedSymbols
    var priorities: [SourceID: Int] = [:]
    var sourceOrder: [SourceID] = []
    /// Every source's health, per source and part: the one owner of health (see `HealthBook`).
    var healthBook = HealthBook()
    /// What each source shows (read by selection, alerts and freshness).
    var health: [SourceID: SourceHealth] { healthBook.sources }
    var quoteBook: QuoteBook
    var barBook: BarBook
    var anomalyBook: AnomalyBook
    var selectionBook: SelectionBook
    var freshnessBook: FreshnessBook
    var alertBook: AlertBook
    var generation: UInt64 = 0
    let startedAt: Timestamp
    var subscribers: [Int: AsyncStream<MarketSnapshot>.Continuation] = [:]
    /// Readers of `generations()`, told the new generation at every change.
    var generationSubscribers: [Int: AsyncStream<UInt64>.Continuation] = [:]
    var nextSubscriberID = 0
    /// Poll intervals of polled sources (see `SourceEntry.pollInterval`).
    var pollIntervals: [SourceID: Duration] = [:]
    /// Symbols shown from quotes stored by an earlier run (`restore(storedQuotes:)`): their
    /// silence is counted from this run's start, as for a symbol with no value yet.
    var restoredSymbols: Set<Symbol> = []
    /// Each watched symbol's snapshot parts built from bars and closes, as of the last snapshot.
    var rowMemos: [Symbol: SnapshotRowMemo] = [:]

    package init(watchlist: [Symbol], sources: [SourceEntry], settings: Settings = Settings(), timeSource: any TimeSource) {
        self.watched = WatchedSymbols(watchlist)
        self.settings = settings
        self.timeSource = timeSource
        self.startedAt = timeSource.now()
        self.quoteBook = QuoteBook(previousCloseRule: PreviousCloseRule(calendar: settings.calendar))
        self.barBook = BarBook(minuteLimit: settings.recentBarLimit, dailyLimit: settings.recentDailyLimit)
        self.anomalyBook = AnomalyBook(limit: settings.anomalyLimit)
        self.selectionBook = SelectionBook(selection: settings.selection, consensus: settings.consensus)
        self.freshnessBook = FreshnessBook(policy: settings.freshness, calendar: settings.calendar)
        self.alertBook = AlertBook(clearAfter: settings.freshness.clearAfter, startedAt: startedAt)
        for entry in sources.sorted(by: { ($0.priority, $0.id) < ($1.priority, $1.id) }) {
            priorities[entry.id] = entry.priority
            pollIntervals[entry.id] = entry.pollInterval
            sourceOrder.append(entry.id)
            healthBook.configure(entry.id, kind: entry.kind, state: entry.state, detail: entry.detail, at: startedAt)
        }
    }

    /// The watched symbols, in display order.
    var watchlist: [Symbol] { watched.symbols }

    // MARK: - Applying changes

    /// Applies one batch as one generation: the values validation `accepted`, the `anomalies` it
    /// found among them, and the producer's `health` reports (an `IngestBatch` once validated).
    /// Re-selects sources for the symbols it touched. Its outcome holds the anomalies it derived
    /// (sources that began to disagree) and the health transitions the facts caused, in order.
    @discardableResult
    package func apply(accepted: [MarketEvent] = [], anomalies: [Anomaly] = [], health: [HealthFact] = []) -> StateOutcome {
        // A fact that may change a source's state re-decides every symbol (a stream's batch always
        // carries one): then the symbols the quotes touched need no gathering.
        let everySymbol = health.contains(where: \.canChangeState)
        var touched: Set<Symbol> = []
        if !everySymbol { touched.reserveCapacity(min(accepted.quoteCount, watchlist.count)) }  // no rehashing as it grows
        for event in accepted {
            switch event {
            case .quote(let quote):
                guard quoteBook.insert(quote) else { continue }
                healthBook.received(quote.symbol, from: quote.source)
                if !everySymbol { touched.insert(quote.symbol) }
            case .bar(let bar): barBook.insert(bar)
            case .trade: break
            }
        }
        for anomaly in anomalies { anomalyBook.record(anomaly) }
        var transitions: [HealthTransition] = []
        for fact in health {
            if let moved = applyHealth(fact) { transitions.append(moved) }
        }
        let derived =
            everySymbol ? reevaluateEverySymbol(at: timeSource.now()) : reevaluate(touched, at: timeSource.now())
        advance()
        return StateOutcome(anomalies: derived, transitions: transitions)
    }

    /// Shows the latest quotes stored by earlier runs for the watched symbols until live ones come
    /// (the board's first frame is drawn from them; each is shown with its age, stale or not like
    /// any value). A stored quote is no news from its source: it touches no health. One already
    /// held that is newer wins, as in `apply`. Returns how many quotes were taken.
    @discardableResult
    package func restore(storedQuotes stored: [Quote]) -> Int {
        let watchedNow = Set(watchlist)
        var touched: Set<Symbol> = []
        for quote in stored where watchedNow.contains(quote.symbol) && priorities[quote.source] != nil {
            if quoteBook.insert(quote) { touched.insert(quote.symbol) }
        }
        guard !touched.isEmpty else { return 0 }
        restoredSymbols.formUnion(touched)
        // Stored quotes agree or not as they did when stored: a disagreement among them was
        // recorded then, and is recorded again when live quotes show it.
        _ = reevaluate(touched, at: timeSource.now())
        advance()
        return touched.count
    }

    /// Shows alerts stored by earlier runs (what happened while ticktop was not running).
    package func restoreEarlierAlerts(_ stored: [Alert]) {
        alertBook.restoreEarlier(stored)
        advance()
    }

    /// Replaces the watched symbols (their order is the display order); the collectors
    /// following `watched` get the new list. Its outcome holds the health transitions of the
    /// sources whose failing parts are no longer asked.
    @discardableResult
    package func setWatchlist(_ symbols: [Symbol]) -> StateOutcome {
        watched.set(symbols)
        let watchedNow = Set(symbols)
        selectionBook.retain(watchedNow)
        rowMemos = rowMemos.filter { watchedNow.contains($0.key) }
        // A failing part none of whose symbols is watched any more is no longer asked: drop it.
        let transitions = healthBook.retain(watched: watchedNow, at: timeSource.now())
        advance()
        return StateOutcome(transitions: transitions)
    }

    /// The one place a change becomes visible: a new generation, published to every subscriber.
    func advance() {
        generation &+= 1
        publish()
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
}
