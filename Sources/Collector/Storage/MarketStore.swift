/// Values handed to the store in one write; a write is one transaction.
public struct StoreBatch: Sendable, Hashable, Codable {
    package var quotes: [Quote]
    package var bars: [Bar]
    package var anomalies: [Anomaly]
    /// Alerts raised, updated or cleared (stored by kind, subject and time raised).
    package var alerts: [Alert]
    /// Source health state changes, in order.
    package var transitions: [HealthTransition]

    package init(
        quotes: [Quote] = [], bars: [Bar] = [], anomalies: [Anomaly] = [], alerts: [Alert] = [],
        transitions: [HealthTransition] = []
    ) {
        self.quotes = quotes
        self.bars = bars
        self.anomalies = anomalies
        self.alerts = alerts
        self.transitions = transitions
    }

    package var isEmpty: Bool { count == 0 }
    public var count: Int { quotes.count + bars.count + anomalies.count + alerts.count + transitions.count }

    /// Rows by kind (`quotes`, `bars`, `anomalies`, `alerts`, `transitions`), in that order, zeros included.
    package var countsByKind: [(kind: String, count: Int)] {
        [
            ("quotes", quotes.count), ("bars", bars.count), ("anomalies", anomalies.count), ("alerts", alerts.count),
            ("transitions", transitions.count)
        ]
    }

    package mutating func append(contentsOf other: StoreBatch) {
        quotes.append(contentsOf: other.quotes)
        bars.append(contentsOf: other.bars)
        anomalies.append(contentsOf: other.anomalies)
        alerts.append(contentsOf: other.alerts)
        transitions.append(contentsOf: other.transitions)
    }

    /// The same rows in order, in batches of at most `maxRows` rows each.
    package func sliced(maxRows: Int) -> [StoreBatch] {
        guard count > maxRows, maxRows > 0 else { return [self] }
        var slices: [StoreBatch] = []
        var current = StoreBatch()
        func flushIfFull() {
            if current.count == maxRows {
                slices.append(current)
                current = StoreBatch()
            }
        }
        for quote in quotes {
            current.quotes.append(quote)
            flushIfFull()
        }
        for bar in bars {
            current.bars.append(bar)
            flushIfFull()
        }
        for anomaly in anomalies {
            current.anomalies.append(anomaly)
            flushIfFull()
        }
        for alert in alerts {
            current.alerts.append(alert)
            flushIfFull()
        }
        for transition in transitions {
            current.transitions.append(transition)
            flushIfFull()
        }
        if !current.isEmpty { slices.append(current) }
        return slices
    }
}

/// What one write changed.
public struct StoreWriteResult: Sendable, Hashable {
    /// Bars that were new.
    package var barsInserted: Int
    /// Bars already stored under the same (symbol, timeframe, start, source); left unchanged.
    package var barsAlreadyStored: Int
    /// Bars already stored with other values: the stored version was kept as a revision and replaced.
    package var barsRevised: Int = 0
    /// `barsRevised` by the source that sent the new values (sources without revisions absent).
    package var revisedBySource: [SourceID: Int] = [:]
    /// Latest-quote rows the write created or replaced: at most one per symbol and source, however
    /// many of its quotes they had (only the newest is written, `StoreBatch.newestQuotes`); a quote
    /// older than the stored one replaces nothing.
    package var quotesWritten: Int
    package var anomaliesWritten: Int
    package var alertsWritten: Int = 0
    package var transitionsWritten: Int = 0
    /// Bars and quotes dropped because this collector no longer holds their symbol's lease (fencing, `LeaseFence`).
    package var rowsFenced: Int = 0
    /// Of `rowsFenced`, those of symbols whose lease this collector lost (`LeaseFence`): rows it
    /// collected and could not store. The others are stragglers of symbols it gave up itself.
    package var rowsOfLostLeases: Int = 0

    package init(barsInserted: Int = 0, barsAlreadyStored: Int = 0, quotesWritten: Int = 0, anomaliesWritten: Int = 0) {
        self.barsInserted = barsInserted
        self.barsAlreadyStored = barsAlreadyStored
        self.quotesWritten = quotesWritten
        self.anomaliesWritten = anomaliesWritten
    }
}

/// Persistent history: bars (unique on symbol, timeframe, start, source), the
/// latest quote per symbol and source, and anomalies with their quarantined values.
public protocol MarketStore: Sendable {
    /// Writes the batch in one transaction. Re-writing a bar already stored with the same values changes
    /// nothing; with other values it is a revision: the stored version is kept in `barRevisions` and replaced.
    @discardableResult
    func write(_ batch: StoreBatch) async throws -> StoreWriteResult

    /// Bars with `start` in `range`, oldest first; from every source when `source` is nil.
    func bars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>) async throws
        -> [Bar]

    /// The distinct starts of the bars stored with `start` in `range`, oldest first; from every
    /// source when `source` is nil. Reads no values: what backfill planning and coverage
    /// checks compare with the market calendar.
    func barStarts(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        async throws -> [Timestamp]

    /// The most recent `limit` bars, oldest first.
    func recentBars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, limit: Int) async throws -> [Bar]

    /// Start of the newest stored bar, or nil when none is stored.
    func latestBarStart(symbol: Symbol, timeframe: Timeframe, source: SourceID) async throws -> Timestamp?

    /// Number of stored bars for the symbol and timeframe, all sources.
    func barCount(symbol: Symbol, timeframe: Timeframe) async throws -> Int

    /// The latest stored quote for every (symbol, source).
    func latestQuotes() async throws -> [Quote]

    /// The newest `limit` anomalies, newest first.
    func recentAnomalies(limit: Int) async throws -> [Anomaly]

    /// The newest `limit` alerts by time raised, newest first, each in its latest
    /// form (cleared ones with their clearing time).
    func recentAlerts(limit: Int) async throws -> [Alert]

    /// The newest `limit` source health transitions, newest first.
    func recentTransitions(limit: Int) async throws -> [HealthTransition]

    /// Earlier versions of the bars of a symbol and timeframe starting in `range`, replaced when a
    /// provider sent other values for the same start and source; oldest start first.
    func barRevisions(symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws -> [BarRevision]
}

extension MarketStore {
    /// Derived from `bars`; stores override it with a query that reads only the starts.
    public func barStarts(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        async throws -> [Timestamp]
    {
        var starts: [Timestamp] = []
        for bar in try await bars(symbol: symbol, timeframe: timeframe, source: source, in: range)
        where starts.last != bar.start {
            starts.append(bar.start)
        }
        return starts
    }
}
