import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Writes one `StoreBatch` inside an open transaction, with `SQLiteStore`'s semantics, in bulk:
/// each table's rows go by `COPY` into a temporary staging table (emptied at commit), then one
/// statement moves them into place; bars never stored go by `COPY` straight into `bars` (`BarPath`).
///
/// A batch can hold the same key twice (a bar sent again with other values, an alert updated).
/// One statement cannot change a row twice, so the rows are written in rounds, the n-th round
/// holding the n-th occurrence of each key: the result is the same as writing the rows one by
/// one, in order. Nearly every batch is a single round. Quotes need none: only the one kept per
/// symbol and source is written (`StoreBatch.newestQuotes`).
///
/// Every row the batch inserts or changes is stamped with `change` (`change_seq`), the number of
/// this write that its `StoreChange` notification announces to the terminals following the store.
struct PostgresBatchWriter {
    let connection: PostgresConnection
    let logger: Logger
    /// When the bars are stored (`received_at`) and replaced versions were replaced.
    let now: Timestamp
    /// This write's change number (`StoreChange.sequence`).
    let change: Int64
    /// Whether new bars go straight into `bars` first (see `BarPath`).
    let barPath: BarPath

    func write(_ batch: StoreBatch, anomalies: [AnomalyJSON.Encoded]) async throws -> StoreWriteResult {
        var result = StoreWriteResult()
        let superseded = SupersededBars(batch.bars)
        let bars = try await withoutStoredEarlierVersions(batch.bars, superseded, into: &result)
        // With no key twice (nearly every write) the bars are one round: no second pass hashing them.
        let barRounds = superseded.isEmpty ? (bars.isEmpty ? [] : [bars]) : Self.rounds(bars, key: SupersededBars.Key.init)
        var staged = false
        for (index, round) in barRounds.enumerated() {
            try await writeBars(round, first: index == 0, stagedBefore: &staged, into: &result)
        }
        let quotes = batch.newestQuotes  // one per symbol and source: one round
        if !quotes.isEmpty { result.quotesWritten = try await upsertQuotes(quotes, first: true) }
        if !anomalies.isEmpty { result.anomaliesWritten = try await insertAnomalies(anomalies) }
        for (index, round) in Self.rounds(batch.alerts, key: { "\($0.id)@\($0.raisedAt.nanoseconds)" }).enumerated() {
            try await upsertAlerts(round, first: index == 0)
        }
        result.alertsWritten = batch.alerts.count
        if !batch.transitions.isEmpty { result.transitionsWritten = try await insertTransitions(batch.transitions) }
        return result
    }

    /// The items split so that no round holds a key twice; the order within each key is kept.
    static func rounds<T, K: Hashable>(_ items: [T], key: (T) -> K) -> [[T]] {
        var seen: [K: Int] = [:]
        var rounds: [[T]] = []
        for item in items {
            let occurrence = seen[key(item), default: 0]
            seen[key(item)] = occurrence + 1
            if occurrence == rounds.count { rounds.append([]) }
            rounds[occurrence].append(item)
        }
        return rounds
    }

    // MARK: Bars

    /// The bars without the versions a later bar of the same write replaces when the store already
    /// holds that later version (counted as already stored), as `SQLiteStore` does: a spill file
    /// replayed again revises nothing.
    private func withoutStoredEarlierVersions(
        _ bars: [Bar], _ superseded: SupersededBars, into result: inout StoreWriteResult
    ) async throws -> [Bar] {
        guard !superseded.isEmpty else { return bars }
        let latest = superseded.replacingVersions.map { bars[$0] }
        let rows = try await connection.query(
            """
            SELECT symbol, timeframe, source, start, \(unescaped: Self.barValues) FROM bars
            WHERE (symbol, timeframe, source, start) IN (
                SELECT * FROM unnest(\(latest.map(\.symbol.rawValue))::text[], \(latest.map(\.timeframe.rawValue))::text[],
                    \(latest.map(\.source.rawValue))::text[], \(latest.map(\.start.nanoseconds))::bigint[]))
            """, logger: logger)
        var stored: [SupersededBars.Key: StoredValues] = [:]
        for try await (symbol, timeframe, source, start, open, high, low, close, volume, vwap, tradeCount) in rows.decode(
            (String, String, String, Int64, Double, Double, Double, Double, Double, Double?, Int64?).self)
        {
            guard let symbol = try? Symbol(symbol), let timeframe = Timeframe(rawValue: timeframe) else { continue }
            let key = SupersededBars.Key(
                symbol: symbol, timeframe: timeframe, source: SourceID(source), start: Timestamp(nanoseconds: start))
            stored[key] = StoredValues(
                open: open, high: high, low: low, close: close, volume: volume, vwap: vwap, tradeCount: tradeCount.map(Int.init))
        }
        var kept: [Bar] = []
        kept.reserveCapacity(bars.count)
        for (index, bar) in bars.enumerated() {
            if let last = superseded.lastVersion(of: index), stored[SupersededBars.Key(bars[last])] == StoredValues(bars[last]) {
                result.barsAlreadyStored += 1
            } else {
                kept.append(bar)
            }
        }
        return kept
    }

    /// A bar's values, to compare a stored row with a bar.
    private struct StoredValues: Equatable {
        var open, high, low, close, volume: Double
        var vwap: Double?
        var tradeCount: Int?

        init(open: Double, high: Double, low: Double, close: Double, volume: Double, vwap: Double?, tradeCount: Int?) {
            (self.open, self.high, self.low, self.close, self.volume) = (open, high, low, close, volume)
            (self.vwap, self.tradeCount) = (vwap, tradeCount)
        }

        init(_ bar: Bar) {
            self.init(
                open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, vwap: bar.vwap,
                tradeCount: bar.tradeCount)
        }
    }

    private static let barValues = "open, high, low, close, volume, vwap, trade_count"

    /// A bar's fields in `barColumns`' order.
    private static func write(_ bar: Bar, to row: inout PostgresCopyText) {
        row.text(bar.symbol.rawValue)
        row.text(bar.timeframe.rawValue)
        row.text(bar.source.rawValue)
        row.integer(bar.start.nanoseconds)
        row.number(bar.open)
        row.number(bar.high)
        row.number(bar.low)
        row.number(bar.close)
        row.number(bar.volume)
        row.number(bar.vwap)
        row.integer(bar.tradeCount.map(Int64.init))
    }
    private static let barColumns = "symbol, timeframe, source, start, \(barValues)"

    /// The staged bars not stored yet are inserted; only when some were stored already (a bar sent
    /// again, a spill file replayed, a provider's revision) are those compared: the stored versions
    /// that differ are kept in `bar_revisions`, then replaced. Nearly every write inserts only new
    /// bars, in one statement (no join with `bars`, no conflict updates). Before staging, the first
    /// round tries the cheapest way, straight into `bars` (`copyNewBars`).
    /// `stagedBefore`: whether an earlier round of this write used the staging table (set here).
    private func writeBars(_ bars: [Bar], first: Bool, stagedBefore: inout Bool, into result: inout StoreWriteResult)
        async throws
    {
        if first, barPath.tryCopyFirst {
            try await copyNewBars(bars)
            result.barsInserted += bars.count
            return
        }
        defer { stagedBefore = true }
        try await stage(
            "staging_bars",
            definition: """
                ord INTEGER, symbol TEXT, timeframe TEXT, source TEXT, start BIGINT, open DOUBLE PRECISION,
                high DOUBLE PRECISION, low DOUBLE PRECISION, close DOUBLE PRECISION, volume DOUBLE PRECISION,
                vwap DOUBLE PRECISION, trade_count BIGINT
                """,
            columns: "ord, \(Self.barColumns)", first: !stagedBefore, rows: bars.enumerated()
        ) { row, item in
            row.integer(Int64(item.offset))
            Self.write(item.element, to: &row)
        }
        let inserted = try await count(
            """
            INSERT INTO bars (\(Self.barColumns), received_at, change_seq)
            SELECT \(Self.barColumns), \(now.nanoseconds), \(change) FROM staging_bars ORDER BY ord
            ON CONFLICT (symbol, timeframe, source, start) DO NOTHING RETURNING 1
            """)
        var revised = 0
        if inserted < bars.count {
            let differs =
                "(b.open, b.high, b.low, b.close, b.volume, b.vwap, b.trade_count) IS DISTINCT FROM "
                + "(s.open, s.high, s.low, s.close, s.volume, s.vwap, s.trade_count)"
            let kept = try await connection.query(
                """
                WITH kept AS (
                INSERT INTO bar_revisions (\(unescaped: Self.barColumns), received_at, replaced_at)
                SELECT b.symbol, b.timeframe, b.source, b.start, b.open, b.high, b.low, b.close, b.volume, b.vwap,
                    b.trade_count, b.received_at, \(now.nanoseconds)
                FROM staging_bars s JOIN bars b
                    ON b.symbol = s.symbol AND b.timeframe = s.timeframe AND b.source = s.source AND b.start = s.start
                WHERE \(unescaped: differs)
                ORDER BY s.ord
                RETURNING source)
                SELECT source, COUNT(*) FROM kept GROUP BY source
                """, logger: logger)
            for try await (source, count) in kept.decode((String, Int64).self) {
                revised += Int(count)
                result.revisedBySource[SourceID(source), default: 0] += Int(count)
            }
            if revised > 0 {
                try await connection.query(
                    """
                    UPDATE bars b SET open = s.open, high = s.high, low = s.low, close = s.close, volume = s.volume,
                        vwap = s.vwap, trade_count = s.trade_count, received_at = \(now.nanoseconds), change_seq = \(change)
                    FROM staging_bars s
                    WHERE b.symbol = s.symbol AND b.timeframe = s.timeframe AND b.source = s.source AND b.start = s.start
                        AND \(unescaped: differs)
                    """, logger: logger)
            }
        }
        result.barsInserted += inserted
        result.barsRevised += revised
        result.barsAlreadyStored += bars.count - inserted - revised
        if first { barPath.noteStaged(allNew: inserted == bars.count) }
    }

    /// `COPY`s the bars straight into `bars`, as `psql \copy` would, when none is stored yet. The
    /// primary key refuses the first one stored already (or being stored by another open write),
    /// which aborts the transaction: `CopyRefused` is thrown, and `PostgresStore` runs the whole
    /// write again, staged (`BarPath`). No savepoint is taken: it would cost two round trips on
    /// every write to spare a rare one.
    private func copyNewBars(_ bars: [Bar]) async throws {
        let (now, change) = (now.nanoseconds, change)
        do {
            try await copy(bars, into: "bars", columns: "\(Self.barColumns), received_at, change_seq") { row, bar in
                Self.write(bar, to: &row)
                row.integer(now)
                row.integer(change)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.uniqueViolation {
            barPath.noteCopyRefused()
            throw CopyRefused()
        }
    }

    /// A write's copy of new bars was refused (a bar was stored already) and its transaction
    /// aborted: the write is to run again, staging its bars.
    struct CopyRefused: Error, CustomStringConvertible {
        var description: String { "a bar of the write was stored already: the write goes again through staging" }
    }

    /// SQLSTATE `unique_violation`.
    private static let uniqueViolation = "23505"

    /// How a write's first bars go in: straight into `bars` by `COPY` (the cheapest way, for bars
    /// never stored: nearly every write), or through staging, which compares them with stored bars.
    /// A refused copy costs a wasted copy, so after one the store's writes stage their bars until a
    /// staged write finds all its bars new again (a spill file replayed, a backfill over stored
    /// history: conflicts come in runs). One per store, shared by its writes.
    final class BarPath: Sendable {
        private let copyRefused = Atomic(false)

        init() {}

        /// Whether to try `COPY` into `bars` first.
        var tryCopyFirst: Bool { !copyRefused.load(ordering: .relaxed) }

        func noteCopyRefused() { copyRefused.store(true, ordering: .relaxed) }

        /// A staged first round found all its bars new (or not): the next write tries the copy (or stages).
        func noteStaged(allNew: Bool) { copyRefused.store(!allNew, ordering: .relaxed) }
    }

    // MARK: Quotes, anomalies, alerts, transitions

    private static let quoteColumns = """
        symbol, source, bid, bid_size, ask, ask_size, last, exchange_time, received_at, previous_close, day_volume
        """

    /// Replaces each stored quote unless it was received later; returns the quotes written.
    private func upsertQuotes(_ quotes: [Quote], first: Bool) async throws -> Int {
        try await stage(
            "staging_quotes",
            definition: """
                symbol TEXT, source TEXT, bid DOUBLE PRECISION, bid_size DOUBLE PRECISION, ask DOUBLE PRECISION,
                ask_size DOUBLE PRECISION, last DOUBLE PRECISION, exchange_time BIGINT, received_at BIGINT,
                previous_close DOUBLE PRECISION, day_volume DOUBLE PRECISION
                """,
            columns: Self.quoteColumns, first: first, rows: quotes
        ) { row, quote in
            row.text(quote.symbol.rawValue)
            row.text(quote.source.rawValue)
            row.number(quote.bid)
            row.number(quote.bidSize)
            row.number(quote.ask)
            row.number(quote.askSize)
            row.number(quote.last)
            row.integer(quote.exchangeTime.nanoseconds)
            row.integer(quote.receivedAt.nanoseconds)
            row.number(quote.previousClose)
            row.number(quote.dayVolume)
        }
        return try await count(
            """
            INSERT INTO latest_quotes (\(Self.quoteColumns), change_seq)
            SELECT \(Self.quoteColumns), \(change) FROM staging_quotes
            ON CONFLICT (symbol, source) DO UPDATE SET
                bid = excluded.bid, bid_size = excluded.bid_size, ask = excluded.ask, ask_size = excluded.ask_size,
                last = excluded.last, exchange_time = excluded.exchange_time, received_at = excluded.received_at,
                previous_close = excluded.previous_close, day_volume = excluded.day_volume, change_seq = excluded.change_seq
            WHERE excluded.received_at >= latest_quotes.received_at
            RETURNING 1
            """)
    }

    private static let anomalyColumns = """
        rule, severity, symbol, source, kind, value_time, detected_at, quarantined, fields_json, message, subject_json
        """

    /// Inserts the anomalies not stored yet (by their identity index); returns how many.
    private func insertAnomalies(_ anomalies: [AnomalyJSON.Encoded]) async throws -> Int {
        try await stage(
            "staging_anomalies",
            definition: """
                ord INTEGER, rule TEXT, severity TEXT, symbol TEXT, source TEXT, kind TEXT, value_time BIGINT,
                detected_at BIGINT, quarantined BOOLEAN, fields_json TEXT, message TEXT, subject_json TEXT
                """,
            columns: "ord, \(Self.anomalyColumns)", first: true, rows: anomalies.enumerated()
        ) { row, item in
            let (encoded, anomaly) = (item.element, item.element.anomaly)
            row.integer(Int64(item.offset))
            row.text(anomaly.rule)
            row.text(anomaly.severity.rawValue)
            row.text(anomaly.symbol.rawValue)
            row.text(anomaly.source.rawValue)
            row.text(anomaly.subject.kind.rawValue)
            row.integer(anomaly.subject.time.nanoseconds)
            row.integer(anomaly.detectedAt.nanoseconds)
            row.bool(anomaly.quarantined)
            row.text(encoded.fieldsJSON)
            row.text(anomaly.message)
            row.text(encoded.subjectJSON)
        }
        return try await count(
            """
            INSERT INTO anomalies (\(Self.anomalyColumns), change_seq)
            SELECT \(Self.anomalyColumns), \(change) FROM staging_anomalies ORDER BY ord
            ON CONFLICT DO NOTHING RETURNING 1
            """)
    }

    private static let alertColumns = "kind, subject, raised_at, severity, message, cleared_at"

    /// Stores each alert, or updates the stored one raised at the same time (cleared, new message).
    private func upsertAlerts(_ alerts: [Alert], first: Bool) async throws {
        try await stage(
            "staging_alerts",
            definition: "kind TEXT, subject TEXT, raised_at BIGINT, severity TEXT, message TEXT, cleared_at BIGINT",
            columns: Self.alertColumns, first: first, rows: alerts
        ) { row, alert in
            row.text(alert.kind.rawValue)
            row.text(alert.subject)
            row.integer(alert.raisedAt.nanoseconds)
            row.text(alert.severity.rawValue)
            row.text(alert.message)
            row.integer(alert.clearedAt?.nanoseconds)
        }
        try await connection.query(
            """
            INSERT INTO alerts (\(unescaped: Self.alertColumns), change_seq)
            SELECT \(unescaped: Self.alertColumns), \(change) FROM staging_alerts
            ON CONFLICT (kind, subject, raised_at) DO UPDATE SET
                severity = excluded.severity, message = excluded.message, cleared_at = excluded.cleared_at,
                change_seq = excluded.change_seq
            """, logger: logger)
    }

    private static let transitionColumns = "source, from_state, to_state, detail, at"

    /// Inserts the transitions not stored yet (by their identity index); returns how many.
    private func insertTransitions(_ transitions: [HealthTransition]) async throws -> Int {
        try await stage(
            "staging_transitions",
            definition: "ord INTEGER, source TEXT, from_state TEXT, to_state TEXT, detail TEXT, at BIGINT",
            columns: "ord, \(Self.transitionColumns)", first: true, rows: transitions.enumerated()
        ) { row, item in
            let transition = item.element
            row.integer(Int64(item.offset))
            row.text(transition.source.rawValue)
            row.text(transition.from.rawValue)
            row.text(transition.to.rawValue)
            row.text(transition.detail)
            row.integer(transition.at.nanoseconds)
        }
        return try await count(
            """
            INSERT INTO health_transitions (\(Self.transitionColumns), change_seq)
            SELECT \(Self.transitionColumns), \(change) FROM staging_transitions ORDER BY ord
            ON CONFLICT DO NOTHING RETURNING 1
            """)
    }

    // MARK: Staging

    /// Fills the temporary table `name` (created on first use on this connection, emptied at each
    /// commit) with `rows`, each written by `write`, by one `COPY`. A later use in the same write
    /// (`first` false) first empties it.
    private func stage<Rows: Sequence>(
        _ name: String, definition: String, columns: String, first: Bool, rows: Rows,
        write: (inout PostgresCopyText, Rows.Element) -> Void
    ) async throws {
        if first {
            try await connection.query(
                "CREATE TEMPORARY TABLE IF NOT EXISTS \(unescaped: name) (\(unescaped: definition)) ON COMMIT DELETE ROWS",
                logger: logger)
        } else {
            try await connection.query("TRUNCATE \(unescaped: name)", logger: logger)
        }
        try await copy(rows, into: name, columns: columns, write: write)
    }

    /// `COPY`s `rows` into `table`'s `columns` (a comma-separated list), each row's fields written
    /// by `write`, in chunks: the server parses one chunk while the next is written.
    private func copy<Rows: Sequence>(
        _ rows: Rows, into table: String, columns: String, write: (inout PostgresCopyText, Rows.Element) -> Void
    ) async throws {
        let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try await connection.copyFrom(table: table, columns: names, logger: logger) { writer in
            var text = PostgresCopyText()
            for row in rows {
                write(&text, row)
                text.endRow()
                if let chunk = text.takeChunk() { try await writer.write(chunk) }
            }
            if let chunk = text.takeChunk(all: true) { try await writer.write(chunk) }
        }
    }

    /// Runs a data-changing statement ending in `RETURNING 1` and counts the rows it changed
    /// (counted by the server: one row comes back, not one per row changed).
    private func count(_ statement: String) async throws -> Int {
        var rows = 0
        let query = PostgresQuery(unsafeSQL: "WITH changed AS (\(statement)) SELECT COUNT(*) FROM changed")
        for try await count in try await connection.query(query, logger: logger).decode(Int64.self) { rows = Int(count) }
        return rows
    }
}
