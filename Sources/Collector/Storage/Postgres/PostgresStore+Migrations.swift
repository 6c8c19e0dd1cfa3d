import Logging
import PostgresNIO

/// The PostgreSQL schema history, in the SQLite store's manner: named migrations applied in order,
/// once, each recorded in `ticktop_migrations`; a database migrated by a newer build is refused.
/// The first migration creates the schema SQLite reached after its seventh (`replay-identity`).
/// Never edit a shipped migration: append the next one.
extension PostgresStore {
    struct Migration: Sendable {
        var name: String
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            name: "v1",
            statements: [
                """
                CREATE TABLE bars (
                    symbol TEXT NOT NULL,
                    timeframe TEXT NOT NULL,
                    source TEXT NOT NULL,
                    start BIGINT NOT NULL,
                    open DOUBLE PRECISION NOT NULL,
                    high DOUBLE PRECISION NOT NULL,
                    low DOUBLE PRECISION NOT NULL,
                    close DOUBLE PRECISION NOT NULL,
                    volume DOUBLE PRECISION NOT NULL,
                    vwap DOUBLE PRECISION,
                    trade_count BIGINT,
                    received_at BIGINT,
                    PRIMARY KEY (symbol, timeframe, source, start)
                )
                """,
                """
                CREATE TABLE bar_revisions (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    symbol TEXT NOT NULL,
                    timeframe TEXT NOT NULL,
                    source TEXT NOT NULL,
                    start BIGINT NOT NULL,
                    open DOUBLE PRECISION NOT NULL,
                    high DOUBLE PRECISION NOT NULL,
                    low DOUBLE PRECISION NOT NULL,
                    close DOUBLE PRECISION NOT NULL,
                    volume DOUBLE PRECISION NOT NULL,
                    vwap DOUBLE PRECISION,
                    trade_count BIGINT,
                    received_at BIGINT,
                    replaced_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX bar_revisions_series ON bar_revisions (symbol, timeframe, start)",
                """
                CREATE TABLE latest_quotes (
                    symbol TEXT NOT NULL,
                    source TEXT NOT NULL,
                    bid DOUBLE PRECISION,
                    bid_size DOUBLE PRECISION,
                    ask DOUBLE PRECISION,
                    ask_size DOUBLE PRECISION,
                    last DOUBLE PRECISION,
                    exchange_time BIGINT NOT NULL,
                    received_at BIGINT NOT NULL,
                    previous_close DOUBLE PRECISION,
                    day_volume DOUBLE PRECISION,
                    PRIMARY KEY (symbol, source)
                )
                """,
                """
                CREATE TABLE anomalies (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    rule TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    source TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    value_time BIGINT NOT NULL,
                    detected_at BIGINT NOT NULL,
                    quarantined BOOLEAN NOT NULL,
                    fields_json TEXT NOT NULL,
                    message TEXT NOT NULL,
                    subject_json TEXT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX anomalies_identity ON anomalies (detected_at, rule, source, subject_json)",
                """
                CREATE TABLE alerts (
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    raised_at BIGINT NOT NULL,
                    severity TEXT NOT NULL,
                    message TEXT NOT NULL,
                    cleared_at BIGINT,
                    PRIMARY KEY (kind, subject, raised_at)
                )
                """,
                "CREATE INDEX alerts_raised_at ON alerts (raised_at)",
                """
                CREATE TABLE health_transitions (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    source TEXT NOT NULL,
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    detail TEXT,
                    at BIGINT NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX health_transitions_identity ON health_transitions (at, source, from_state, to_state)"
            ]),
        // The spend of each provider account, shared by every process (`RequestLedger`); see SQLite's migration.
        Migration(
            name: "request-ledger",
            statements: [
                "CREATE TABLE request_log (account TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX request_log_account_at ON request_log (account, at)",
                "CREATE TABLE provider_pauses (account TEXT PRIMARY KEY, until BIGINT NOT NULL)",
                """
                CREATE TABLE refused_requests (
                    account TEXT NOT NULL,
                    shape TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    refused_at BIGINT NOT NULL,
                    configuration TEXT NOT NULL,
                    PRIMARY KEY (account, shape)
                )
                """
            ]),
        // Terminals follow the store (`StoreFollower`): every write stamps the rows it changes with
        // one number from `ticktop_changes` and announces it on the channel of that name (`StoreChange`).
        Migration(
            name: "change-feed",
            statements: ["CREATE SEQUENCE ticktop_changes"]
                + ["latest_quotes", "bars", "anomalies", "alerts", "health_transitions"].flatMap { table in
                    [
                        "ALTER TABLE \(table) ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0",
                        "CREATE INDEX \(table)_change ON \(table) (change_seq)"
                    ]
                }),
        // The collector fleet (`PostgresStore+Fleet.swift`): the registry with heartbeats, viewers'
        // asks, and one lease row per symbol ever wanted (kept when released: its token only grows).
        Migration(
            name: "fleet-leases",
            statements: [
                """
                CREATE TABLE fleet_collectors (
                    id TEXT PRIMARY KEY,
                    host TEXT NOT NULL,
                    pid BIGINT NOT NULL,
                    version TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    heartbeat_at BIGINT NOT NULL,
                    stopped_at BIGINT,
                    sources TEXT[] NOT NULL,
                    watchlist TEXT[] NOT NULL
                )
                """,
                """
                CREATE TABLE fleet_asks (
                    viewer TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    asked_at BIGINT NOT NULL,
                    PRIMARY KEY (viewer, symbol)
                )
                """,
                """
                CREATE TABLE fleet_leases (
                    symbol TEXT PRIMARY KEY,
                    holder TEXT,
                    token BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX fleet_leases_holder ON fleet_leases (holder)",
                "CREATE SEQUENCE fleet_lease_tokens"
            ]),
        // Two-step hand-overs (`PostgresStore+Fleet.swift`): a collector shutting down is marked
        // draining (given no new symbols); a lease that a rebalance moves from a live holder names
        // its successor, and the holder hands it over once it has written what it holds for it.
        Migration(
            name: "fleet-hand-overs",
            statements: [
                "ALTER TABLE fleet_collectors ADD COLUMN draining_at BIGINT",
                "ALTER TABLE fleet_leases ADD COLUMN successor TEXT",
                "ALTER TABLE fleet_leases ADD COLUMN handover_at BIGINT"
            ])
    ]

    /// The names of the migrations applied to this database, in the order applied.
    package func appliedMigrations() async throws(StoreError) -> [String] {
        try await fetch("SELECT name FROM ticktop_migrations ORDER BY applied_order") { try $0.decode(String.self) }
    }

    /// Applies the missing migrations in one transaction, on a connection of its own, holding a
    /// transaction-scoped advisory lock so that processes starting together migrate one at a time.
    func migrate() async throws(StoreError) {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try connectionConfiguration()
        } catch {
            throw storeError(.open, error)
        }
        let (logger, schema) = (logger, schema)
        let connection = try await withDeadline(.open) {
            try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        }
        let outcome: Result<Void, StoreError>
        do {
            outcome = .success(try await applyMigrations(on: connection, schema: schema, logger: logger))
        } catch {
            outcome = .failure(error)
        }
        try? await connection.close()
        try outcome.get()
    }

    private func applyMigrations(on connection: PostgresConnection, schema: String?, logger: Logger) async throws(StoreError) {
        let closeWatch = closeWatch
        try await withDeadline(.migrate) {
            try await closeWatch.run(on: connection) { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    // The lock comes first: two processes creating the schema at once would collide.
                    try await connection.query(
                        "SELECT pg_advisory_xact_lock(hashtext(\("ticktop-migrations:" + (schema ?? "public"))))", logger: logger)
                    if let schema {
                        try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
                    }
                    try await connection.query(
                        """
                        CREATE TABLE IF NOT EXISTS ticktop_migrations (
                            name TEXT PRIMARY KEY,
                            applied_order INTEGER NOT NULL,
                            applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                        )
                        """, logger: logger)
                    var applied: [String] = []
                    for try await name in try await connection.query(
                        "SELECT name FROM ticktop_migrations ORDER BY applied_order", logger: logger
                    ).decode(String.self) {
                        applied.append(name)
                    }
                    let known = Set(Self.migrations.map(\.name))
                    let unknown = applied.filter { !known.contains($0) }
                    guard unknown.isEmpty else { throw NewerSchema(unknown: unknown) }
                    for (order, migration) in Self.migrations.enumerated() where !applied.contains(migration.name) {
                        for statement in migration.statements {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query(
                            "INSERT INTO ticktop_migrations (name, applied_order) VALUES (\(migration.name), \(order))",
                            logger: logger)
                    }
                }
            }
        }
    }

    /// A migration recorded in the database is unknown to this build.
    struct NewerSchema: Error {
        var unknown: [String]
    }
}
