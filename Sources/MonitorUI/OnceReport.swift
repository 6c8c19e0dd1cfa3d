import Collector

/// The `--once --json` document: quotes, source health, anomalies, history and
/// the verdict, as one JSON object. Field names are part of the scripting interface.
public struct OnceReport: Sendable, Codable {
    package struct QuoteEntry: Sendable, Codable {
        package var symbol: String
        package var assetClass: String
        /// The price: the last trade when known, else the midpoint; null without either.
        @NullWhenAbsent package var last: Double?
        /// True when the provider sent only a last trade: bid, ask, sizes and spread are null.
        package var lastTradeOnly: Bool?
        package var change: Double?
        package var changePercent: Double?
        /// Exactly as the provider sent them; null when it sent none (never filled in from `last`).
        @NullWhenAbsent package var bid: Double?
        @NullWhenAbsent package var ask: Double?
        @NullWhenAbsent package var bidSize: Double?
        @NullWhenAbsent package var askSize: Double?
        @NullWhenAbsent package var spread: Double?
        package var volume: Double?
        package var previousClose: Double?
        /// Where `previousClose` came from: the source, `daily bar` or `quote` (its previous-close
        /// field), and the session it closed (`2026-12-03`).
        package var previousCloseSource: String?
        package var previousCloseOrigin: String?
        package var previousCloseSession: String?
        package var source: String?
        package var exchangeTime: String?
        package var receivedAt: String?
        /// Seconds since the provider's exchange time (not since receipt).
        package var ageSeconds: Double?
        /// How long after its exchange time the shown value arrived: the source's feed delay.
        package var feedDelaySeconds: Double?
        package var quality: String
        package var anomalies: Int
        /// Latest quote from every source that has one, for comparison.
        package var sources: [String: Double]
        /// Why the value is not fresh (a last known good value), when stale.
        package var staleReason: String?
        /// Why it comes from a less preferred source, during a failover.
        package var failoverReason: String?
        /// Why there is no value, when a source said why (`unknown to FINNHUB`).
        package var noDataReason: String?
        /// Sources that disagree with the others beyond the tolerance.
        package var disagreeingSources: [String]
        /// The session of the symbol's market: `pre`, `open`, `post` or `closed`.
        package var session: String
        /// Why, when there is more to say: `holiday: Thanksgiving`, `weekend`, `early close 13:00`.
        package var sessionNote: String?
        /// The age beyond which the value counts as stale now; null while its market is closed.
        package var staleAfterSeconds: Double?
        /// The open alerts about this symbol (silence, failover, disagreement), newest first.
        package var openAlerts: [AlertEntry]
        /// The values of this symbol quarantined in this run (of the recent anomalies kept), newest first.
        package var quarantined: [AnomalyEntry]
    }

    package struct AlertEntry: Sendable, Codable {
        package var kind: String
        package var severity: String
        package var subject: String
        package var message: String
        package var raisedAt: String
        package var clearedAt: String?

        init(_ a: Alert) {
            kind = a.kind.rawValue
            severity = a.severity.rawValue
            subject = a.subject
            message = a.message
            raisedAt = a.raisedAt.iso8601
            clearedAt = a.clearedAt?.iso8601
        }
    }

    package struct SourceEntry: Sendable, Codable {
        package var id: String
        package var label: String
        package var kind: String
        package var state: String
        package var detail: String?
        package var lastSuccess: String?
        package var lastError: String?
        package var latencyMs: Double?
        /// Median and 95th percentile latency over the last minute.
        package var latencyP50Ms: Double?
        package var latencyP95Ms: Double?
        /// When the source entered its current state, and state changes since start.
        package var stateSince: String?
        package var transitions: Int
        package var errorsLastMinute: Int
        package var messagesPerSecond: Double
        package var messages: Int
        package var errors: Int
        package var rateLimitRemaining: Int?
        /// The median feed delay (receipt minus exchange time) of the source's latest quotes;
        /// null without quotes. A delayed plan shows here.
        package var feedDelaySeconds: Double?
        /// A live WebSocket stream's reconnects and coalesced and dropped values; absent without one.
        package var stream: StreamCounters?
        /// Stored bars this source sent again with other values in this run (revisions).
        package var barsRevised: Int
    }

    package struct AnomalyEntry: Sendable, Codable {
        package var rule: String
        package var severity: String
        package var symbol: String
        package var source: String
        package var kind: String
        package var valueTime: String
        package var detectedAt: String
        package var quarantined: Bool
        package var message: String
        package var values: [String: Double]

        init(_ a: Anomaly) {
            rule = a.rule
            severity = a.severity.rawValue
            symbol = a.symbol.rawValue
            source = a.source.label
            kind = a.subject.kind.rawValue
            valueTime = a.subject.time.iso8601
            detectedAt = a.detectedAt.iso8601
            quarantined = a.quarantined
            message = a.message
            values = Dictionary(a.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    package struct HistoryEntry: Sendable, Codable {
        package var symbol: String
        package var dailyBars: Int
        package var minuteBars: Int
    }

    /// Stored history of one symbol and timeframe over the span the backfill judged.
    package struct CoverageEntry: Sendable, Codable {
        package struct Missing: Sendable, Codable {
            /// First and last missing bar start.
            package var first: String
            package var last: String
            package var bars: Int
        }

        package var symbol: String
        package var timeframe: String
        /// The span judged (the configured depth back from the backfill's start).
        package var from: String
        package var to: String
        package var storedBars: Int
        /// Oldest and newest stored bar start in the span; null when none is stored.
        package var firstBar: String?
        package var lastBar: String?
        package var missingBars: Int
        /// Runs of bars the market calendar expects that are not stored, oldest first.
        package var missing: [Missing]

        init(_ c: SeriesCoverage) {
            symbol = c.symbol.rawValue
            timeframe = c.timeframe.rawValue
            from = c.window.lowerBound.iso8601
            to = c.window.upperBound.iso8601
            storedBars = c.storedBars
            firstBar = c.stored?.lowerBound.iso8601
            lastBar = c.stored?.upperBound.iso8601
            missingBars = c.missingBars
            missing = c.missing.map { Missing(first: $0.first.iso8601, last: $0.last.iso8601, bars: $0.missingBars) }
        }
    }

    package struct BackfillEntry: Sendable, Codable {
        package var source: String
        package var loadedFromStore: Int
        package var fetched: Int
        package var errors: [String]
    }

    package var generatedAt: String
    package var generation: UInt64
    /// `general.stale_after`, the fallback threshold; each quote has the one that applies to it.
    package var staleAfterSeconds: Double
    package var status: String
    package var exitCode: Int32
    package var summary: String
    package var quotes: [QuoteEntry]
    package var sources: [SourceEntry]
    package var anomalies: [AnomalyEntry]
    /// Freshness, health, failover and disagreement alerts, newest first (open and recently cleared).
    package var alerts: [AlertEntry]
    /// Alerts stored by earlier runs, newest first; `clearedAt` null: still open when that run stopped.
    package var earlierAlerts: [AlertEntry]
    package var anomalyCount: Int
    package var quarantinedCount: Int
    package var history: [HistoryEntry]
    /// Per symbol and timeframe the backfill judged: the stored range and the missing windows.
    package var coverage: [CoverageEntry]
    package var store: String?
    /// Per source: bars read back from the store at start, and bars fetched to fill the gap.
    package var backfill: [BackfillEntry]
    /// How the store's writes went in this run.
    package var storeWrites: StoreWritesEntry

    package struct StoreWritesEntry: Sendable, Codable {
        package var rowsWritten: Int
        package var failedAttempts: Int
        /// Rows not stored yet, kept in `spillFile` for the next start.
        package var rowsWaiting: Int
        package var rowsDropped: Int
        /// Dropped rows by kind, and the symbols they were about.
        package var droppedByKind: [String: Int]
        package var droppedSymbols: [String]
        package var spillFile: String?
        package var lastError: String?
        /// The tape (`[store] ticks = true`); absent when it is off.
        package var tape: TapeEntry?

        package struct TapeEntry: Sendable, Codable {
            package var ticksWritten: Int
            package var ticksWaiting: Int
            package var ticksLost: Int
            package var lastError: String?
        }

        init(_ w: StoreWriterStatistics) {
            rowsWritten = w.rowsWritten
            failedAttempts = w.failures
            rowsWaiting = w.rowsWaiting
            rowsDropped = w.rowsDropped + w.unreadableSpillLines
            droppedByKind = w.droppedByKind
            droppedSymbols = w.droppedSymbols.sorted().map(\.rawValue)
            spillFile = w.spillPath
            lastError = w.lastError
            tape = w.tape.map {
                TapeEntry(ticksWritten: $0.ticksWritten, ticksWaiting: $0.ticksWaiting, ticksLost: $0.ticksLost, lastError: $0.lastError)
            }
        }
    }

    /// The collector fleet of a followed store (`--once --store postgres`); absent otherwise.
    package var fleet: FleetEntry?

    package struct FleetEntry: Sendable, Codable {
        /// Collectors alive when the report was made.
        package var alive: Int
        /// Symbols the fleet wants: the live collectors' watchlists and the viewers' asks.
        package var wanted: Int
        /// The newest heartbeat seen, when no collector is alive (the prices shown are not live).
        package var noCollectorSince: String?
        /// Every collector heard from in the last day, the live ones first.
        package var collectors: [CollectorEntry]
    }

    package struct CollectorEntry: Sendable, Codable {
        package var id: String
        package var host: String
        package var pid: Int
        package var version: String
        package var startedAt: String
        package var heartbeatAt: String
        package var stoppedAt: String?
        package var alive: Bool
        /// Symbols it holds leases on.
        package var symbols: Int
        package var sources: [String]
    }

    /// True when the run ended without something it set out to get (see `missing`).
    package var incomplete: Bool
    /// Why the run ended, and what it had not got: symbols, backfill windows, paused sources.
    package var missing: OnceMissing?

    public init(
        snapshot: MarketSnapshot, history: [HistoryCount], store: String?, backfill: [BackfillProgress.Entry] = [],
        missing: OnceMissing? = nil, coverage: [SeriesCoverage] = []
    ) {
        let now = snapshot.takenAt
        let verdict = OnceVerdict(snapshot, missing: missing, coverage: coverage)
        storeWrites = StoreWritesEntry(snapshot.store ?? StoreWriterStatistics())
        incomplete = missing?.isIncomplete ?? false
        self.missing = missing
        generatedAt = now.iso8601
        generation = snapshot.generation
        staleAfterSeconds = snapshot.staleAfter.secondsValue
        status =
            switch verdict {
            case .clean: "clean"
            case .stale: "stale"
            case .noCollector: "no-collector"
            case .quarantined: "quarantined"
            case .disagree: "sources-disagree"
            case .incomplete: "incomplete"
            case .unstored: "not-stored"
            case .incompleteHistory: "history-incomplete"
            }
        exitCode = verdict.exitCode
        summary = verdict.summary
        let openAlerts = snapshot.openAlerts
        let anomalies = snapshot.recentAnomalies.map(AnomalyEntry.init)
        quotes = snapshot.symbols.map { s in
            let q = s.selected
            return QuoteEntry(
                symbol: s.symbol.rawValue, assetClass: s.symbol.assetClass.rawValue, last: q?.price,
                lastTradeOnly: q?.isLastTrade,
                change: Self.trimmed(s.change), changePercent: Self.trimmed(s.changePercent), bid: q?.bid, ask: q?.ask,
                bidSize: q?.bidSize, askSize: q?.askSize, spread: Self.trimmed(q?.spread), volume: s.dayVolume,
                previousClose: s.previousClose,
                previousCloseSource: s.previousCloseSource?.source.label,
                previousCloseOrigin: s.previousCloseSource?.origin.rawValue,
                previousCloseSession: s.previousCloseSource?.session.description, source: q?.source.label,
                exchangeTime: q?.exchangeTime.iso8601, receivedAt: q?.receivedAt.iso8601,
                ageSeconds: s.age(at: now)?.secondsValue, feedDelaySeconds: q?.feedDelay.secondsValue,
                quality: s.quality.rawValue, anomalies: s.anomalyCount,
                sources: Dictionary(s.quotes.map { ($0.source.label, $0.price) }, uniquingKeysWith: { a, _ in a }),
                staleReason: s.staleReason, failoverReason: s.failoverReason, noDataReason: s.noDataReason,
                disagreeingSources: s.disagreeingSources.map(\.label), session: s.session.session.rawValue,
                sessionNote: s.session.reason, staleAfterSeconds: s.staleAfter?.secondsValue,
                openAlerts: openAlerts.filter { $0.subject == s.symbol.rawValue }.map(AlertEntry.init),
                quarantined: anomalies.filter { $0.symbol == s.symbol.rawValue && $0.quarantined })
        }
        sources = snapshot.sources.map { h in
            SourceEntry(
                id: h.source.rawValue, label: h.source.label, kind: h.kind, state: h.state.rawValue, detail: h.detail,
                lastSuccess: h.lastSuccess?.iso8601, lastError: h.lastError, latencyMs: h.latencyMilliseconds,
                latencyP50Ms: h.latencyP50Milliseconds, latencyP95Ms: h.latencyP95Milliseconds,
                stateSince: h.stateSince?.iso8601, transitions: h.transitions, errorsLastMinute: h.errorsLastMinute,
                messagesPerSecond: h.messagesPerSecond, messages: h.messageCount, errors: h.errorCount,
                rateLimitRemaining: h.rateLimitRemaining,
                feedDelaySeconds: snapshot.feedDelay(of: h.source)?.secondsValue, stream: h.stream,
                barsRevised: h.barsRevised)
        }
        self.anomalies = anomalies
        alerts = snapshot.alerts.map(AlertEntry.init)
        earlierAlerts = snapshot.earlierAlerts.map(AlertEntry.init)
        anomalyCount = snapshot.anomalyCount
        quarantinedCount = snapshot.quarantinedCount
        self.history = history.map {
            HistoryEntry(symbol: $0.symbol.rawValue, dailyBars: $0.dailyBars, minuteBars: $0.minuteBars)
        }
        self.coverage = coverage.map(CoverageEntry.init)
        fleet = snapshot.fleet.map { fleet in
            FleetEntry(
                alive: fleet.alive(at: now).count, wanted: fleet.wanted,
                noCollectorSince: snapshot.follow?.fleetAlive == false ? snapshot.follow?.noCollectorSince?.iso8601 : nil,
                collectors: FleetText.ordered(fleet, at: now).map { member in
                    CollectorEntry(
                        id: member.id, host: member.host, pid: member.pid, version: member.version,
                        startedAt: member.startedAt.iso8601, heartbeatAt: member.heartbeatAt.iso8601,
                        stoppedAt: member.stoppedAt?.iso8601, alive: member.isAlive(at: now, ttl: fleet.leaseTTL),
                        symbols: member.symbolCount, sources: member.sources.map(\.label))
                })
        }
        self.store = store
        self.backfill = backfill.map {
            BackfillEntry(
                source: $0.source.label, loadedFromStore: $0.barsLoadedFromStore, fetched: $0.barsFetched,
                errors: $0.errors)
        }
    }

    /// Derived values (differences, ratios) rounded to 10 decimals, so binary noise
    /// such as -0.03999999999999204 reads as -0.04. Prices themselves are not touched.
    static func trimmed(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return value }
        return (value * 1e10).rounded() / 1e10
    }
}
