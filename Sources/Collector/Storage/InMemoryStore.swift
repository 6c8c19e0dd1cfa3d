/// A `MarketStore` kept in memory, with the same semantics as `SQLiteStore`:
/// bars are unique on (symbol, timeframe, start, source), and one sent again with other values
/// replaces the stored one, which is kept as a revision,
/// the latest quote per (symbol, source) is replaced only by one received at the
/// same time or later, and anomalies and health transitions are appended unless one with the
/// same identity is stored (a batch written twice stores them once).
package actor InMemoryStore: MarketStore {
    private struct Series: Hashable {
        var symbol: Symbol
        var timeframe: Timeframe
    }

    private struct BarKey: Hashable {
        var source: SourceID
        var start: Timestamp
    }

    /// An anomaly's rule, source and offending value at the time it was detected.
    private struct AnomalyIdentity: Hashable {
        var detectedAt: Timestamp
        var rule: String
        var source: SourceID
        var subject: MarketEvent

        init(_ anomaly: Anomaly) {
            (detectedAt, rule, source, subject) = (anomaly.detectedAt, anomaly.rule, anomaly.source, anomaly.subject)
        }
    }

    /// A transition's source, states and time.
    private struct TransitionIdentity: Hashable {
        var at: Timestamp
        var source: SourceID
        var from: HealthState
        var to: HealthState

        init(_ transition: HealthTransition) {
            (at, source, from, to) = (transition.at, transition.source, transition.from, transition.to)
        }
    }

    private var bars: [Series: [BarKey: Bar]] = [:]
    private var quotes: [LatestQuoteKey: Quote] = [:]
    /// Oldest first, in the order written.
    private var anomalies: [Anomaly] = []
    /// Latest form of each alert, by kind, subject and time raised.
    private var alerts: [String: Alert] = [:]
    private var transitions: [HealthTransition] = []
    /// The identities of the stored anomalies and transitions, as `SQLiteStore`'s unique indexes key them.
    private var anomalyIdentities: Set<AnomalyIdentity> = []
    private var transitionIdentities: Set<TransitionIdentity> = []
    /// Requests sent, pauses and refusals (`RequestLedger`).
    var ledger = InMemoryLedger()
    /// Earlier versions of revised bars, in the order they were replaced.
    private var revisions: [BarRevision] = []
    /// The tape, in the order written (`TickStore`).
    private var tape: [Tick] = []
    /// When each stored bar was written, as `SQLiteStore` records it.
    private var received: [Series: [BarKey: Timestamp]] = [:]
    private let timeSource: any TimeSource

    package init(timeSource: any TimeSource = SystemTimeSource()) { self.timeSource = timeSource }

    @discardableResult
    package func write(_ batch: StoreBatch) throws(StoreError) -> StoreWriteResult {
        if let reason = batch.unstorableReason {
            throw StoreError(operation: .write, location: Self.location, kind: .invalidValue, detail: reason)
        }
        var result = StoreWriteResult()
        let now = timeSource.now()
        let superseded = SupersededBars(batch.bars)
        for (index, bar) in batch.bars.enumerated() {
            let series = Series(symbol: bar.symbol, timeframe: bar.timeframe)
            let key = BarKey(source: bar.source, start: bar.start)
            if let last = superseded.lastVersion(of: index), bars[series]?[key] == batch.bars[last] {
                result.barsAlreadyStored += 1
                continue
            }
            if let stored = bars[series]?[key] {
                guard stored != bar else {
                    result.barsAlreadyStored += 1
                    continue
                }
                revisions.append(BarRevision(bar: stored, receivedAt: received[series]?[key], replacedAt: now))
                result.barsRevised += 1
                result.revisedBySource[bar.source, default: 0] += 1
            } else {
                result.barsInserted += 1
            }
            bars[series, default: [:]][key] = bar
            received[series, default: [:]][key] = now
        }
        for quote in batch.newestQuotes {
            let key = LatestQuoteKey(symbol: quote.symbol, source: quote.source)
            if let stored = quotes[key], stored.receivedAt > quote.receivedAt { continue }
            quotes[key] = quote
            result.quotesWritten += 1
        }
        for anomaly in batch.anomalies where anomalyIdentities.insert(AnomalyIdentity(anomaly)).inserted {
            anomalies.append(anomaly)
            result.anomaliesWritten += 1
        }
        for alert in batch.alerts { alerts["\(alert.id)@\(alert.raisedAt.nanoseconds)"] = alert }
        result.alertsWritten = batch.alerts.count
        for transition in batch.transitions where transitionIdentities.insert(TransitionIdentity(transition)).inserted {
            transitions.append(transition)
            result.transitionsWritten += 1
        }
        return result
    }

    package func bars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        -> [Bar]
    {
        sorted(symbol: symbol, timeframe: timeframe) { bar in
            (source == nil || bar.source == source) && range.contains(bar.start)
        }
    }

    package func barStarts(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        -> [Timestamp]
    {
        let series = bars[Series(symbol: symbol, timeframe: timeframe)] ?? [:]
        let starts = series.keys.filter { (source == nil || $0.source == source) && range.contains($0.start) }.map(\.start)
        return Set(starts).sorted()
    }

    package func recentBars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, limit: Int) -> [Bar] {
        guard limit > 0 else { return [] }
        let all = sorted(symbol: symbol, timeframe: timeframe) { source == nil || $0.source == source }
        return Array(all.suffix(limit))
    }

    package func latestBarStart(symbol: Symbol, timeframe: Timeframe, source: SourceID) -> Timestamp? {
        bars[Series(symbol: symbol, timeframe: timeframe)]?.keys
            .filter { $0.source == source }
            .map(\.start)
            .max()
    }

    package func barCount(symbol: Symbol, timeframe: Timeframe) -> Int {
        bars[Series(symbol: symbol, timeframe: timeframe)]?.count ?? 0
    }

    package func latestQuotes() -> [Quote] {
        quotes.values.sorted { ($0.symbol, $0.source) < ($1.symbol, $1.source) }
    }

    package func recentAnomalies(limit: Int) -> [Anomaly] {
        guard limit > 0 else { return [] }
        // Newest detection first; among equal times, the one written last first.
        let ordered = anomalies.enumerated().sorted {
            ($0.element.detectedAt, $0.offset) > ($1.element.detectedAt, $1.offset)
        }
        return ordered.prefix(limit).map(\.element)
    }

    /// Matching bars of one series, by start then source (as SQLite orders them).
    private func sorted(symbol: Symbol, timeframe: Timeframe, where include: (Bar) -> Bool) -> [Bar] {
        let series = bars[Series(symbol: symbol, timeframe: timeframe)] ?? [:]
        return series.values.filter(include).sorted { ($0.start, $0.source) < ($1.start, $1.source) }
    }

    /// How errors name this store.
    static let location = "(in memory)"

    package func recentAlerts(limit: Int) -> [Alert] {
        guard limit > 0 else { return [] }
        let ordered = alerts.values.sorted {
            ($0.raisedAt, $1.kind.rawValue, $1.subject) > ($1.raisedAt, $0.kind.rawValue, $0.subject)
        }
        return Array(ordered.prefix(limit))
    }

    package func recentTransitions(limit: Int) -> [HealthTransition] {
        guard limit > 0 else { return [] }
        return Array(transitions.reversed().prefix(limit))
    }

    package func barRevisions(symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) -> [BarRevision] {
        revisions.enumerated()
            .filter {
                $0.element.bar.symbol == symbol && $0.element.bar.timeframe == timeframe && range.contains($0.element.bar.start)
            }
            .sorted {
                ($0.element.bar.start, $0.element.bar.source.rawValue, $0.offset) < (
                    $1.element.bar.start, $1.element.bar.source.rawValue, $1.offset
                )
            }
            .map(\.element)
    }
}

extension InMemoryStore: TickStore {
    /// Keeps NaN as absent, as SQLite stores it.
    @discardableResult
    package func writeTicks(_ ticks: [Tick]) -> Int {
        tape.append(contentsOf: ticks.map(\.storable))
        return ticks.count
    }

    package func ticks(symbol: Symbol, source: SourceID?, in range: ClosedRange<Timestamp>, limit: Int) -> [Tick] {
        guard limit > 0 else { return [] }
        let matching = tape.enumerated()
            .filter { $0.element.symbol == symbol && (source == nil || $0.element.source == source) }
            .filter { range.contains($0.element.exchangeTime) }
            .sorted { ($0.element.exchangeTime, $0.offset) < ($1.element.exchangeTime, $1.offset) }
        return matching.suffix(limit).map(\.element)
    }
}
