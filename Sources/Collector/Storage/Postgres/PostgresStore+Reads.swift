import Logging
import PostgresNIO

/// `MarketStore`'s writes and reads, in the same orders as `SQLiteStore`'s.
extension PostgresStore {
    @discardableResult
    public func write(_ batch: StoreBatch) async throws(StoreError) -> StoreWriteResult {
        if let reason = batch.unstorableReason {
            throw StoreError(operation: .write, location: location, kind: .invalidValue, detail: reason)
        }
        guard !batch.isEmpty else { return StoreWriteResult() }
        let anomalies: [AnomalyJSON.Encoded]
        do {
            anomalies = try AnomalyJSON.encode(batch.anomalies)
        } catch {
            throw StoreError(
                operation: .write, location: location, kind: .invalidValue, detail: "cannot encode an anomaly as JSON (\(error))")
        }
        let (logger, now, fence, held, location, barPath) = (logger, timeSource.now(), fence, fence.current, location, barPath)
        let written = try await inTransaction(.write) { connection in
            var batch = batch
            var fenced: [Symbol: Int] = [:]
            if let held { (batch, fenced) = try await Self.fenced(batch, held: held, on: connection, logger: logger) }
            let change = try await Self.announce(StoreChange.kinds(of: batch), on: connection, logger: logger)
            var result = try await PostgresBatchWriter(
                connection: connection, logger: logger, now: now, change: change, barPath: barPath)
                .write(batch, anomalies: anomalies)
            if !fenced.isEmpty {
                result.rowsFenced = fenced.values.reduce(0, +)
                // Judged by the fence as it is now, after the check: a hand-over that committed while
                // this write waited for its connection or its lease rows had marked them given up first.
                result.rowsOfLostLeases = (fence.current ?? held).map { Self.lost(fenced, held: $0) } ?? 0
                logger.warning(
                    "rows dropped: this collector's lease on their symbols was lost (fencing)",
                    metadata: [
                        "store": "\(location)", "holder": "\(held?.holder ?? "")", "rows": "\(result.rowsFenced)",
                        "symbols": "\(fenced.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
                    ])
            }
            return result
        }
        noteWriteCommitted()
        return written
    }

    /// Takes the write's change number and queues its `StoreChange` notification, in one round trip;
    /// PostgreSQL delivers the notification at commit, and never for a write rolled back.
    static func announce(_ kinds: Set<StoreChange.Kind>, on connection: PostgresConnection, logger: Logger) async throws
        -> Int64
    {
        let rows = try await connection.query(
            """
            SELECT n, pg_notify(\(StoreChange.channel), n || ' ' || \(StoreChange.kindList(kinds)))::text
            FROM (SELECT nextval('\(unescaped: StoreChange.channel)') AS n) AS change
            """, logger: logger)
        var change: Int64?
        for try await (number, _) in rows.decode((Int64, String).self) { change = number }
        guard let change else { throw NoChangeNumber() }
        return change
    }

    /// The server answered `announce` with no row.
    struct NoChangeNumber: Error, CustomStringConvertible {
        var description: String { "the server gave no change number for the write" }
    }

    /// The batch without the bars and quotes of symbols whose lease `held` no longer has (another
    /// holder or a newer token: see `LeaseFence`), and how many rows of each symbol were dropped.
    /// The lease rows are read `FOR SHARE` in symbol order in the write's own transaction: a
    /// rebalance that would move one of them (it locks them `FOR UPDATE` in the same order) waits
    /// until this write commits, so no row is ever written under a lease that has already moved.
    static func fenced(_ batch: StoreBatch, held: LeaseFence.Held, on connection: PostgresConnection, logger: Logger)
        async throws -> (StoreBatch, [Symbol: Int])
    {
        let symbols = Set(batch.bars.map(\.symbol) + batch.quotes.map(\.symbol))
        guard !symbols.isEmpty else { return (batch, [:]) }
        let rows = try await connection.query(
            """
            SELECT symbol, holder, token FROM fleet_leases WHERE symbol = ANY(\(symbols.map(\.rawValue))::text[])
            ORDER BY symbol FOR SHARE
            """, logger: logger)
        var current: Set<Symbol> = []
        for try await (symbol, holder, token) in rows.decode((String, String?, Int64).self) {
            guard let symbol = try? Symbol(symbol), holder == held.holder, held.tokens[symbol] == token else { continue }
            current.insert(symbol)
        }
        var kept = batch
        var dropped: [Symbol: Int] = [:]
        kept.bars = batch.bars.filter { bar in
            current.contains(bar.symbol) || { dropped[bar.symbol, default: 0] += 1; return false }()
        }
        kept.quotes = batch.quotes.filter { quote in
            current.contains(quote.symbol) || { dropped[quote.symbol, default: 0] += 1; return false }()
        }
        return (kept, dropped)
    }

    /// How many of the `fenced` rows are losses: of symbols `held` still lists (its token is stale)
    /// and is not giving up, or lists as lost (see `LeaseFence`).
    static func lost(_ fenced: [Symbol: Int], held: LeaseFence.Held) -> Int {
        fenced.reduce(0) { sum, entry in
            let stillHeld = held.tokens[entry.key] != nil && !held.givingUp.contains(entry.key)
            return stillHeld || held.lost.contains(entry.key) ? sum + entry.value : sum
        }
    }

    static let barColumns = "source, start, open, high, low, close, volume, vwap, trade_count"

    public func bars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        async throws(StoreError) -> [Bar]
    {
        try await fetch(
            """
            SELECT \(unescaped: Self.barColumns) FROM bars
            WHERE symbol = \(symbol.rawValue) AND timeframe = \(timeframe.rawValue)
                AND (\(source?.rawValue)::TEXT IS NULL OR source = \(source?.rawValue))
                AND start BETWEEN \(range.lowerBound.nanoseconds) AND \(range.upperBound.nanoseconds)
            ORDER BY start, source
            """
        ) { try Self.bar($0, symbol: symbol, timeframe: timeframe) }
    }

    public func barStarts(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        async throws(StoreError) -> [Timestamp]
    {
        try await fetch(
            """
            SELECT DISTINCT start FROM bars
            WHERE symbol = \(symbol.rawValue) AND timeframe = \(timeframe.rawValue)
                AND (\(source?.rawValue)::TEXT IS NULL OR source = \(source?.rawValue))
                AND start BETWEEN \(range.lowerBound.nanoseconds) AND \(range.upperBound.nanoseconds)
            ORDER BY start
            """
        ) { Timestamp(nanoseconds: try $0.decode(Int64.self)) }
    }

    public func recentBars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, limit: Int)
        async throws(StoreError) -> [Bar]
    {
        guard limit > 0 else { return [] }
        let newestFirst = try await fetch(
            """
            SELECT \(unescaped: Self.barColumns) FROM bars
            WHERE symbol = \(symbol.rawValue) AND timeframe = \(timeframe.rawValue)
                AND (\(source?.rawValue)::TEXT IS NULL OR source = \(source?.rawValue))
            ORDER BY start DESC, source DESC LIMIT \(limit)
            """
        ) { try Self.bar($0, symbol: symbol, timeframe: timeframe) }
        return newestFirst.reversed()
    }

    public func latestBarStart(symbol: Symbol, timeframe: Timeframe, source: SourceID) async throws(StoreError)
        -> Timestamp?
    {
        let starts = try await fetch(
            """
            SELECT MAX(start) FROM bars
            WHERE symbol = \(symbol.rawValue) AND timeframe = \(timeframe.rawValue) AND source = \(source.rawValue)
            """
        ) { try $0.decode(Int64?.self) }
        return starts.first.flatMap { $0 }.map(Timestamp.init(nanoseconds:))
    }

    public func barCount(symbol: Symbol, timeframe: Timeframe) async throws(StoreError) -> Int {
        let counts = try await fetch(
            "SELECT COUNT(*) FROM bars WHERE symbol = \(symbol.rawValue) AND timeframe = \(timeframe.rawValue)"
        ) { try $0.decode(Int64.self) }
        return Int(counts.first ?? 0)
    }

    static let quoteColumns =
        "symbol, source, bid, bid_size, ask, ask_size, last, exchange_time, received_at, previous_close, day_volume"

    public func latestQuotes() async throws(StoreError) -> [Quote] {
        let location = location
        return try await fetch("SELECT \(unescaped: Self.quoteColumns) FROM latest_quotes ORDER BY symbol, source") {
            try Self.quote($0, location: location)
        }
    }

    /// A quote from the columns `quoteColumns`, in order.
    static func quote(_ row: PostgresRow, location: String) throws -> Quote {
        let (symbol, source, bid, bidSize, ask, askSize, last, exchangeTime, receivedAt, previousClose, dayVolume) =
            try row.decode((String, String, Double?, Double?, Double?, Double?, Double?, Int64, Int64, Double?, Double?).self)
        return Quote(
            symbol: try Self.storedSymbol(symbol, location: location), source: SourceID(source), bid: bid,
            bidSize: bidSize, ask: ask, askSize: askSize, last: last, exchangeTime: Timestamp(nanoseconds: exchangeTime),
            receivedAt: Timestamp(nanoseconds: receivedAt), previousClose: previousClose, dayVolume: dayVolume)
    }

    static let anomalyColumns = "rule, severity, symbol, source, fields_json, message, detected_at, quarantined, subject_json"

    public func recentAnomalies(limit: Int) async throws(StoreError) -> [Anomaly] {
        guard limit > 0 else { return [] }
        let location = location
        return try await fetch(
            "SELECT \(unescaped: Self.anomalyColumns) FROM anomalies ORDER BY detected_at DESC, id DESC LIMIT \(limit)"
        ) { try Self.anomaly($0, location: location) }
    }

    /// An anomaly from the columns `anomalyColumns`, in order (more columns may follow).
    static func anomaly(_ row: PostgresRow, location: String) throws -> Anomaly {
        let columns = row.makeRandomAccess()
        do {
            return try AnomalyJSON.anomaly(
                rule: try columns[0].decode(String.self), severity: try columns[1].decode(String.self),
                symbol: try columns[2].decode(String.self), source: try columns[3].decode(String.self),
                fieldsJSON: try columns[4].decode(String.self), message: try columns[5].decode(String.self),
                detectedAt: try columns[6].decode(Int64.self), quarantined: try columns[7].decode(Bool.self),
                subjectJSON: try columns[8].decode(String.self))
        } catch let problem as AnomalyJSON.StoredValueProblem {
            throw StoreError(operation: .read, location: location, kind: .invalidValue, detail: problem.detail)
        }
    }

    static let alertColumns = "kind, subject, raised_at, severity, message, cleared_at"

    public func recentAlerts(limit: Int) async throws(StoreError) -> [Alert] {
        guard limit > 0 else { return [] }
        let location = location
        return try await fetch(
            "SELECT \(unescaped: Self.alertColumns) FROM alerts ORDER BY raised_at DESC, kind, subject LIMIT \(limit)"
        ) { try Self.alert($0, location: location) }
    }

    /// An alert from the columns `alertColumns`, in order.
    static func alert(_ row: PostgresRow, location: String) throws -> Alert {
        let (kindText, subject, raisedAt, severityText, message, clearedAt) = try row.decode(
            (String, String, Int64, String, String, Int64?).self)
        guard let kind = Alert.Kind(rawValue: kindText), let severity = Anomaly.Severity(rawValue: severityText) else {
            throw StoreError(
                operation: .read, location: location, kind: .invalidValue,
                detail: "an alert has an unknown kind '\(kindText)' or severity '\(severityText)'")
        }
        var alert = Alert(
            kind: kind, severity: severity, subject: subject, message: message, raisedAt: Timestamp(nanoseconds: raisedAt))
        alert.clearedAt = clearedAt.map(Timestamp.init(nanoseconds:))
        return alert
    }

    static let transitionColumns = "source, from_state, to_state, detail, at"

    public func recentTransitions(limit: Int) async throws(StoreError) -> [HealthTransition] {
        guard limit > 0 else { return [] }
        let location = location
        return try await fetch(
            """
            SELECT \(unescaped: Self.transitionColumns) FROM health_transitions ORDER BY at DESC, id DESC LIMIT \(limit)
            """
        ) { try Self.transition($0, location: location) }
    }

    /// A health transition from the columns `transitionColumns`, in order.
    static func transition(_ row: PostgresRow, location: String) throws -> HealthTransition {
        let (source, fromText, toText, detail, at) = try row.decode((String, String, String, String?, Int64).self)
        guard let from = HealthState(rawValue: fromText), let to = HealthState(rawValue: toText) else {
            throw StoreError(
                operation: .read, location: location, kind: .invalidValue,
                detail: "a health transition has an unknown state '\(fromText)' or '\(toText)'")
        }
        return HealthTransition(source: SourceID(source), from: from, to: to, detail: detail, at: Timestamp(nanoseconds: at))
    }

    public func barRevisions(symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws(StoreError) -> [BarRevision]
    {
        try await fetch(
            """
            SELECT \(unescaped: Self.barColumns), received_at, replaced_at FROM bar_revisions
            WHERE symbol = \(symbol.rawValue) AND timeframe = \(timeframe.rawValue)
                AND start BETWEEN \(range.lowerBound.nanoseconds) AND \(range.upperBound.nanoseconds)
            ORDER BY start, source, replaced_at, id
            """
        ) { row in
            let columns = row.makeRandomAccess()
            let (receivedAt, replacedAt) = (try columns[9].decode(Int64?.self), try columns[10].decode(Int64.self))
            return BarRevision(
                bar: try Self.bar(row, symbol: symbol, timeframe: timeframe),
                receivedAt: receivedAt.map(Timestamp.init(nanoseconds:)), replacedAt: Timestamp(nanoseconds: replacedAt))
        }
    }

    /// A bar from the columns `barColumns`, in order.
    static func bar(_ row: PostgresRow, symbol: Symbol, timeframe: Timeframe) throws -> Bar {
        let (source, start, open, high, low, close, volume, vwap, tradeCount) = try row.decode(
            (String, Int64, Double, Double, Double, Double, Double, Double?, Int64?).self)
        return Bar(
            symbol: symbol, source: SourceID(source), timeframe: timeframe, start: Timestamp(nanoseconds: start), open: open,
            high: high, low: low, close: close, volume: volume, vwap: vwap, tradeCount: tradeCount.map(Int.init))
    }

    static func storedSymbol(_ text: String, location: String) throws(StoreError) -> Symbol {
        do {
            return try Symbol(text)
        } catch {
            throw StoreError(
                operation: .read, location: location, kind: .invalidValue, detail: "a stored symbol is invalid: \(error)")
        }
    }
}
