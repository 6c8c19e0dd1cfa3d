import Logging
import PostgresNIO

/// Rows a terminal following the store reads (`StoreFollower`): at start and after a reconnect
/// everything it shows (`catchUp`), then, for each batch of `StoreChange` notifications, the rows
/// stamped with their change numbers (`changedRows`). Quotes and bars only of the watched symbols;
/// minute and daily bars only (the sparklines and previous closes; the detail chart reads the store).
package struct StoreRows: Sendable {
    /// An anomaly with its row id (the same anomaly read twice is shown once).
    package struct StoredAnomaly: Sendable {
        package var id: Int64
        package var anomaly: Anomaly
    }

    package var quotes: [Quote] = []
    package var bars: [Bar] = []
    package var anomalies: [StoredAnomaly] = []
    package var alerts: [Alert] = []
    /// The newest transition of each source in a catch-up; every changed one otherwise.
    package var transitions: [HealthTransition] = []
    /// In a catch-up: whether the store holds any quote at all, of any symbol.
    package var storeHasQuotes: Bool?

    package init() {}
}

extension PostgresStore {
    /// Minute bars per symbol and source read at a catch-up (a sparkline shows 60).
    static let catchUpMinuteBars = 60
    /// Daily bars per symbol and source read at a catch-up (previous closes).
    static let catchUpDailyBars = 10
    /// Anomalies read at a catch-up, newest first.
    static let catchUpAnomalies = 200
    /// Alerts read at a catch-up, newest first.
    static let catchUpAlerts = 50

    /// The `application_name` of a follower's connection: `ticktop-follow`, then the schema if the store has one.
    package var followerName: String { ["ticktop-follow", schema].compactMap(\.self).joined(separator: " ") }

    /// The follower's own connection (for `LISTEN`), after `prepare()`; fails as unreachable after `operationTimeout`.
    package func followingConnection(logger: Logger) async throws(StoreError) -> PostgresConnection {
        try await prepare()
        var configuration: PostgresConnection.Configuration
        do {
            configuration = try connectionConfiguration()
        } catch {
            throw storeError(.open, error)
        }
        // Named, so that `pg_stat_activity` tells the terminals following the store from the collectors.
        configuration.options.additionalStartupParameters.append(("application_name", followerName))
        let named = configuration
        return try await withDeadline(.open) {
            try await PostgresConnection.connect(configuration: named, id: 1, logger: logger)
        }
    }

    /// Everything a follower shows of `symbols`, read on `connection`.
    package func catchUp(symbols: [Symbol], on connection: PostgresConnection, logger: Logger) async throws(StoreError)
        -> StoreRows
    {
        let (location, names) = (location, symbols.map(\.rawValue))
        return try await withDeadline(.read) {
            var rows = StoreRows()
            rows.quotes = try await Self.rows(
                "SELECT \(unescaped: Self.quoteColumns) FROM latest_quotes WHERE symbol = ANY(\(names))",
                on: connection, logger: logger
            ) { try Self.quote($0, location: location) }
            rows.storeHasQuotes = try await Self.rows(
                "SELECT EXISTS (SELECT 1 FROM latest_quotes)", on: connection, logger: logger
            ) { try $0.decode(Bool.self) }.first ?? false
            for (timeframe, limit) in [(Timeframe.oneMinute, Self.catchUpMinuteBars), (.oneDay, Self.catchUpDailyBars)] {
                rows.bars += try await Self.rows(
                    """
                    SELECT \(unescaped: Self.changedBarColumns) FROM (
                        SELECT *, row_number() OVER (PARTITION BY symbol, source ORDER BY start DESC) AS newest FROM bars
                        WHERE symbol = ANY(\(names)) AND timeframe = \(timeframe.rawValue)) AS recent
                    WHERE newest <= \(limit) ORDER BY start, source
                    """, on: connection, logger: logger
                ) { try Self.changedBar($0, location: location) }
            }
            rows.anomalies = try await Self.rows(
                """
                SELECT \(unescaped: Self.anomalyColumns), id FROM anomalies
                ORDER BY detected_at DESC, id DESC LIMIT \(Self.catchUpAnomalies)
                """, on: connection, logger: logger
            ) { try Self.storedAnomaly($0, location: location) }.reversed()
            rows.alerts = try await Self.rows(
                """
                SELECT \(unescaped: Self.alertColumns) FROM alerts ORDER BY raised_at DESC, kind, subject
                LIMIT \(Self.catchUpAlerts)
                """, on: connection, logger: logger
            ) { try Self.alert($0, location: location) }
            rows.transitions = try await Self.rows(
                """
                SELECT DISTINCT ON (source) \(unescaped: Self.transitionColumns) FROM health_transitions
                ORDER BY source, at DESC, id DESC
                """, on: connection, logger: logger
            ) { try Self.transition($0, location: location) }
            return rows
        }
    }

    /// The rows the writes numbered `changes` stamped, of the kinds they announced, read on `connection`.
    /// A quote or bar a later write changed again carries that write's number: its own notification brings it.
    package func changedRows(
        _ changes: [StoreChange], symbols: [Symbol], on connection: PostgresConnection, logger: Logger
    ) async throws(StoreError) -> StoreRows {
        let (location, names) = (location, symbols.map(\.rawValue))
        let kinds = changes.reduce(into: Set<StoreChange.Kind>()) { $0.formUnion($1.kinds) }
        let numbers = changes.map(\.sequence)
        return try await withDeadline(.read) {
            var rows = StoreRows()
            if kinds.contains(.quotes) {
                rows.quotes = try await Self.rows(
                    """
                    SELECT \(unescaped: Self.quoteColumns) FROM latest_quotes
                    WHERE change_seq = ANY(\(numbers)) AND symbol = ANY(\(names))
                    """, on: connection, logger: logger
                ) { try Self.quote($0, location: location) }
            }
            if kinds.contains(.bars) {
                rows.bars = try await Self.rows(
                    """
                    SELECT \(unescaped: Self.changedBarColumns) FROM bars
                    WHERE change_seq = ANY(\(numbers)) AND symbol = ANY(\(names))
                        AND timeframe IN (\(Timeframe.oneMinute.rawValue), \(Timeframe.oneDay.rawValue))
                    ORDER BY start, source
                    """, on: connection, logger: logger
                ) { try Self.changedBar($0, location: location) }
            }
            if kinds.contains(.anomalies) {
                rows.anomalies = try await Self.rows(
                    "SELECT \(unescaped: Self.anomalyColumns), id FROM anomalies WHERE change_seq = ANY(\(numbers)) ORDER BY id",
                    on: connection, logger: logger
                ) { try Self.storedAnomaly($0, location: location) }
            }
            if kinds.contains(.alerts) {
                rows.alerts = try await Self.rows(
                    "SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE change_seq = ANY(\(numbers)) ORDER BY raised_at",
                    on: connection, logger: logger
                ) { try Self.alert($0, location: location) }
            }
            if kinds.contains(.transitions) {
                rows.transitions = try await Self.rows(
                    """
                    SELECT \(unescaped: Self.transitionColumns) FROM health_transitions
                    WHERE change_seq = ANY(\(numbers)) ORDER BY at, id
                    """, on: connection, logger: logger
                ) { try Self.transition($0, location: location) }
            }
            return rows
        }
    }

    /// `barColumns` after the symbol and the timeframe.
    static let changedBarColumns = "symbol, timeframe, \(barColumns)"

    /// A bar from the columns `changedBarColumns`.
    static func changedBar(_ row: PostgresRow, location: String) throws -> Bar {
        let (symbolText, timeframeText, source, start, open, high, low, close, volume, vwap, tradeCount) = try row.decode(
            (String, String, String, Int64, Double, Double, Double, Double, Double, Double?, Int64?).self)
        guard let timeframe = Timeframe(rawValue: timeframeText) else {
            throw StoreError(
                operation: .read, location: location, kind: .invalidValue, detail: "a bar has an unknown timeframe '\(timeframeText)'")
        }
        return Bar(
            symbol: try storedSymbol(symbolText, location: location), source: SourceID(source), timeframe: timeframe,
            start: Timestamp(nanoseconds: start), open: open, high: high, low: low, close: close, volume: volume, vwap: vwap,
            tradeCount: tradeCount.map(Int.init))
    }

    /// An anomaly from the columns `anomalyColumns` and its id.
    static func storedAnomaly(_ row: PostgresRow, location: String) throws -> StoreRows.StoredAnomaly {
        let id = try row.makeRandomAccess()[9].decode(Int64.self)
        return StoreRows.StoredAnomaly(id: id, anomaly: try anomaly(row, location: location))
    }

    /// Runs `query` on `connection` and turns each row into a value.
    static func rows<T>(
        _ query: PostgresQuery, on connection: PostgresConnection, logger: Logger, _ map: (PostgresRow) throws -> T
    ) async throws -> [T] {
        var values: [T] = []
        for try await row in try await connection.query(query, logger: logger) { values.append(try map(row)) }
        return values
    }
}
