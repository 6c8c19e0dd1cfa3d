import Foundation
import GRDB

/// `ticktop db export`: stored rows as CSV or JSON Lines, streamed row by row (a database of
/// millions of bars never sits in memory), read from a read-only connection.
public struct DatabaseExport: Sendable {
    /// What to export.
    public enum Table: String, Sendable, CaseIterable {
        case bars, quotes, anomalies, alerts, revisions
        /// The tape (`[store] ticks = true`), in the flat form replay files use: its JSON Lines replay as recorded.
        case ticks
    }

    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl
    }

    public var table: Table
    package var format: Format
    /// Only these symbols (all when empty).
    package var symbols: [Symbol]
    /// Bars and revisions only: one timeframe (all when nil).
    package var timeframe: Timeframe?
    /// Bar start, quote exchange time, detection or raise time within this range (all when nil).
    package var range: ClosedRange<Timestamp>?

    public init(
        table: Table, format: Format, symbols: [Symbol] = [], timeframe: Timeframe? = nil, range: ClosedRange<Timestamp>? = nil
    ) {
        self.table = table
        self.format = format
        self.symbols = symbols
        self.timeframe = timeframe
        self.range = range
    }

    /// The columns of each table, in output order, with the time column the range applies to.
    private var layout: (columns: [String], from: String, time: String, hasTimeframe: Bool) {
        switch table {
        case .bars:
            (
                [
                    "symbol", "timeframe", "source", "start", "open", "high", "low", "close", "volume", "vwap", "trade_count",
                    "received_at"
                ],
                "bars", "start", true
            )
        case .revisions:
            (
                [
                    "symbol", "timeframe", "source", "start", "open", "high", "low", "close", "volume", "vwap", "trade_count",
                    "received_at",
                    "replaced_at"
                ], "bar_revisions", "start", true
            )
        case .quotes:
            (
                [
                    "symbol", "source", "bid", "bid_size", "ask", "ask_size", "last", "exchange_time", "received_at",
                    "previous_close",
                    "day_volume"
                ], "latest_quotes", "exchange_time", false
            )
        case .anomalies:
            (
                [
                    "symbol", "source", "rule", "severity", "kind", "value_time", "detected_at", "quarantined", "message",
                    "fields_json"
                ],
                "anomalies", "detected_at", false
            )
        case .alerts:
            (["kind", "subject", "severity", "message", "raised_at", "cleared_at"], "alerts", "raised_at", false)
        case .ticks:
            (
                ["type", "symbol", "source", "time", "received", "bid", "bid_size", "ask", "ask_size", "last", "price", "size", "id"],
                "tape", "time", false
            )
        }
    }

    /// Columns holding nanosecond times, written as RFC 3339 instants.
    private static let timeColumns: Set = [
        "start", "received_at", "replaced_at", "exchange_time", "value_time", "detected_at", "raised_at", "cleared_at", "time",
        "received"
    ]

    /// Writes every matching row to `write` (a header first for CSV); returns the rows written.
    @discardableResult
    public func run(on file: DatabaseFile, write: (String) throws -> Void) throws(StoreError) -> Int {
        let (columns, from, time, hasTimeframe) = layout
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !symbols.isEmpty {
            let column = table == .alerts ? "subject" : "symbol"
            conditions.append("\(column) IN (\(symbols.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(symbols.map(\.rawValue))
        }
        if let timeframe, hasTimeframe {
            conditions.append("timeframe = ?")
            arguments += [timeframe.rawValue]
        }
        if let range {
            conditions.append("\(time) BETWEEN ? AND ?")
            arguments += [range.lowerBound.nanoseconds, range.upperBound.nanoseconds]
        }
        var sql = "SELECT \(columns.joined(separator: ", ")) FROM \(from)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        // The tape in the order it was recorded within each time (what a replay of the export keeps).
        let tieBreak = table == .revisions ? ", replaced_at" : table == .ticks ? ", position" : ""
        sql += " ORDER BY \(hasTimeframe ? "symbol, timeframe, " : "")\(time)\(tieBreak)"
        return try file.readOnly { queue throws(StoreError) in
            do {
                return try queue.read { db in
                    if format == .csv { try write(columns.joined(separator: ",") + "\n") }
                    // A database not yet migrated by this build may lack a newer table: it has no such rows.
                    guard try db.tableExists(table == .ticks ? "ticks" : from) else { return 0 }
                    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                    var count = 0
                    while let row = try rows.next() {
                        try write(line(row, columns: columns) + "\n")
                        count += 1
                    }
                    return count
                }
            } catch {
                throw StoreError(operation: .read, location: file.path, error: error)
            }
        }
    }

    private func line(_ row: Row, columns: [String]) -> String {
        let values = columns.indices.map { index in
            Self.value(row[index] as DatabaseValue, isTime: Self.timeColumns.contains(columns[index]))
        }
        switch format {
        case .csv:
            return values.map { $0.csv }.joined(separator: ",")
        case .jsonl:
            return "{" + zip(columns, values).map { "\"\($0)\":\($1.json)" }.joined(separator: ",") + "}"
        }
    }

    /// One cell, kept as the database holds it: numbers exactly (shortest round-trip form).
    private enum Cell {
        case null
        case number(String)
        case text(String)

        var csv: String {
            switch self {
            case .null: ""
            case .number(let text): text
            case .text(let text):
                text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
        }

        var json: String {
            switch self {
            case .null: "null"
            case .number(let text): text
            // A TOML basic string's escapes (\", \\, \n, \uXXXX for the other controls) are JSON's too.
            case .text(let text): TicktopConfiguration.quoted(text)
            }
        }
    }

    private static func value(_ value: DatabaseValue, isTime: Bool) -> Cell {
        switch value.storage {
        case .null: return .null
        case .int64(let integer):
            return isTime ? .text(instant(integer)) : .number(String(integer))
        case .double(let double): return double.isFinite ? .number("\(double)") : .text("\(double)")
        case .string(let text): return .text(text)
        case .blob(let data): return .text(data.base64EncodedString())
        }
    }

    /// An exact RFC 3339 instant in UTC, with as many fraction digits as the nanoseconds need.
    package static func instant(_ nanoseconds: Int64) -> String {
        let billion: Int64 = 1_000_000_000
        let seconds = nanoseconds >= 0 ? nanoseconds / billion : (nanoseconds - billion + 1) / billion
        let fraction = nanoseconds - seconds * billion
        let whole = Timestamp(seconds: seconds).rfc3339Seconds
        guard fraction > 0 else { return whole }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return whole.dropLast() + "." + digits + "Z"
    }
}
