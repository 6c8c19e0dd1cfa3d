import GRDB

extension SQLiteStore {
    /// The schema history. Never edit a shipped migration: append the next one
    /// (`registerMigration("v2", migrate: v2)`) and write it below.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3", migrate: v3)
        migrator.registerMigration("request-ledger", migrate: requestLedger)
        migrator.registerMigration("bar-revisions", migrate: barRevisions)
        migrator.registerMigration("nullable-quote-sides", migrate: nullableQuoteSides)
        migrator.registerMigration("replay-identity", migrate: replayIdentity)
        migrator.registerMigration("tape", migrate: tape)
        migrator.registerMigration("tape-batches", migrate: tapeBatches)
        return migrator
    }

    /// Bars, the latest quote per symbol and source, and anomalies with their
    /// quarantined values. Timestamps are integer nanoseconds since the epoch.
    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE bars (
                    symbol TEXT NOT NULL,
                    timeframe TEXT NOT NULL,
                    source TEXT NOT NULL,
                    start INTEGER NOT NULL,
                    open REAL NOT NULL,
                    high REAL NOT NULL,
                    low REAL NOT NULL,
                    close REAL NOT NULL,
                    volume REAL NOT NULL,
                    vwap REAL,
                    trade_count INTEGER,
                    PRIMARY KEY (symbol, timeframe, source, start)
                ) WITHOUT ROWID;

                CREATE TABLE latest_quotes (
                    symbol TEXT NOT NULL,
                    source TEXT NOT NULL,
                    bid REAL NOT NULL,
                    bid_size REAL NOT NULL,
                    ask REAL NOT NULL,
                    ask_size REAL NOT NULL,
                    last REAL,
                    exchange_time INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    previous_close REAL,
                    day_volume REAL,
                    PRIMARY KEY (symbol, source)
                ) WITHOUT ROWID;

                CREATE TABLE anomalies (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    source TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    value_time INTEGER NOT NULL,
                    detected_at INTEGER NOT NULL,
                    quarantined INTEGER NOT NULL,
                    fields_json TEXT NOT NULL,
                    message TEXT NOT NULL,
                    subject_json TEXT NOT NULL
                );

                CREATE INDEX anomalies_detected_at ON anomalies (detected_at);
                """)
    }

    /// Alerts (freshness, health, failovers, disagreements), so a later run can
    /// show what happened while nobody watched. One row per alert, updated when it clears.
    private static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE alerts (
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    raised_at INTEGER NOT NULL,
                    severity TEXT NOT NULL,
                    message TEXT NOT NULL,
                    cleared_at INTEGER,
                    PRIMARY KEY (kind, subject, raised_at)
                ) WITHOUT ROWID;

                CREATE INDEX alerts_raised_at ON alerts (raised_at);
                """)
    }

    /// Source health transitions (healthy to down, rate-limited, circuit open, ...), in order.
    private static func v3(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE health_transitions (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    detail TEXT,
                    at INTEGER NOT NULL
                );

                CREATE INDEX health_transitions_at ON health_transitions (at);
                """)
    }

    /// The spend of each provider account, shared by every process and run (`RequestLedger`):
    /// request times, provider-imposed pauses, and request shapes a plan refused. An account is
    /// the source kind and key variable NAME, never a key.
    private static func requestLedger(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE request_log (
                    account TEXT NOT NULL,
                    at INTEGER NOT NULL
                );

                CREATE INDEX request_log_account_at ON request_log (account, at);

                CREATE TABLE provider_pauses (
                    account TEXT PRIMARY KEY,
                    until INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE refused_requests (
                    account TEXT NOT NULL,
                    shape TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    refused_at INTEGER NOT NULL,
                    configuration TEXT NOT NULL,
                    PRIMARY KEY (account, shape)
                ) WITHOUT ROWID;
                """)
    }

    /// Earlier versions of bars a provider later sent with other values (same symbol, timeframe,
    /// source and start): nothing stored is silently overwritten. `bars.received_at` is when the
    /// stored version was written (unknown, NULL, for bars stored before this migration);
    /// `replaced_at` is when a newer version took its place.
    private static func barRevisions(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE bars ADD COLUMN received_at INTEGER;

                CREATE TABLE bar_revisions (
                    id INTEGER PRIMARY KEY,
                    symbol TEXT NOT NULL,
                    timeframe TEXT NOT NULL,
                    source TEXT NOT NULL,
                    start INTEGER NOT NULL,
                    open REAL NOT NULL,
                    high REAL NOT NULL,
                    low REAL NOT NULL,
                    close REAL NOT NULL,
                    volume REAL NOT NULL,
                    vwap REAL,
                    trade_count INTEGER,
                    received_at INTEGER,
                    replaced_at INTEGER NOT NULL
                );

                CREATE INDEX bar_revisions_series ON bar_revisions (symbol, timeframe, start);
                """)
    }

    /// Quote sides a provider did not send are stored as NULL, never made up: a last-trade-only
    /// quote (Alpha Vantage, Finnhub) has no bid, ask or sizes. SQLite cannot drop NOT NULL in
    /// place, so the table is rebuilt with its rows.
    private static func nullableQuoteSides(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE latest_quotes_v4 (
                    symbol TEXT NOT NULL,
                    source TEXT NOT NULL,
                    bid REAL,
                    bid_size REAL,
                    ask REAL,
                    ask_size REAL,
                    last REAL,
                    exchange_time INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    previous_close REAL,
                    day_volume REAL,
                    PRIMARY KEY (symbol, source)
                ) WITHOUT ROWID;

                INSERT INTO latest_quotes_v4 SELECT * FROM latest_quotes;
                DROP TABLE latest_quotes;
                ALTER TABLE latest_quotes_v4 RENAME TO latest_quotes;
                """)
    }

    /// Anomalies and health transitions are inserts, so rows written twice (a spill file replayed
    /// again after a crash between its write and its removal) would be stored twice. Each gets an
    /// identity: an anomaly is its rule, source and offending value at the time it was detected;
    /// a transition its source, states and time. Duplicates already stored are removed (the first
    /// kept) and writes skip a row whose identity is stored. The new indexes lead with the time
    /// columns, so they replace the old time indexes.
    private static func replayIdentity(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM anomalies WHERE id NOT IN (
                    SELECT MIN(id) FROM anomalies GROUP BY detected_at, rule, source, subject_json);
                DROP INDEX anomalies_detected_at;
                CREATE UNIQUE INDEX anomalies_identity ON anomalies (detected_at, rule, source, subject_json);

                DELETE FROM health_transitions WHERE id NOT IN (
                    SELECT MIN(id) FROM health_transitions GROUP BY at, source, from_state, to_state);
                DROP INDEX health_transitions_at;
                CREATE UNIQUE INDEX health_transitions_identity ON health_transitions (at, source, from_state, to_state);
                """)
    }
}
