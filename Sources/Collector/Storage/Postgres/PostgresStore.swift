import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// A `MarketStore` in PostgreSQL, shared by every process given the same URL (`store.kind = "postgres"`).
///
/// Connections come from postgres-nio's `PostgresClient`, whose pool runs for the store's lifetime.
/// The schema is brought up to date on first use (`PostgresStore+Migrations.swift`) over a connection
/// of its own, so a wrong password, a missing database or a refused connection is reported at once
/// and precisely; later operations fail with `StoreError.Kind.unreachable` (the writer keeps their
/// rows) at once when the server refuses connections (`pooled`), else when it does not answer within
/// `operationTimeout`. Writes are bulk (`PostgresBatchWriter`): new bars by `COPY` straight into
/// `bars`, other rows by `COPY` into a temporary staging table, then one statement upserts them.
/// Every message names the store by its URL without the password.
public final class PostgresStore: MarketStore {
    package let url: PostgresURL
    /// The TLS mode in use: the URL's `sslmode`, else `store.tls`.
    package let tls: PostgresTLSMode
    /// The schema holding the tables; nil: the server's default (`public`). Tests use one per store.
    package let schema: String?
    /// Longest an operation waits for the server before it fails as unreachable.
    package let operationTimeout: Duration
    let client: PostgresClient
    let timeSource: any TimeSource
    let logger: Logger
    /// The pool's `run()`; cancelled when the store goes.
    private let running: Task<Void, Never>
    /// The leases this process's writes must hold (set by a `FleetCoordinator`; unset: writes unchecked).
    package let fence = LeaseFence()
    /// Sees the pool fail to connect (`withConnection` fails at once when the server refuses).
    let connectWatch = PoolConnectWatch()
    /// Ends an operation whose connection closes under it (`ConnectionCloseWatch`).
    let closeWatch = ConnectionCloseWatch()
    /// Whether writes copy their new bars straight into `bars` (`PostgresBatchWriter.BarPath`).
    let barPath = PostgresBatchWriter.BarPath()
    /// Set once the migrations were checked in this process.
    private let migrated = Mutex(false)
    /// Writes of this store committed so far (`writesCommitted`).
    private let committed = Atomic(0)

    /// Prepares the store for `url`; nothing is sent to the server before the first operation
    /// (`prepare()` to check at once). `schema` must be lowercase letters, digits and `_`.
    package init(
        url: PostgresURL, tls: PostgresTLSMode = .prefer, schema: String? = nil, operationTimeout: Duration = .seconds(30),
        timeSource: any TimeSource = SystemTimeSource(), logger: Logger = Logger(label: "ticktop.store.postgres")
    ) throws(StoreError) {
        if let schema, schema.isEmpty || !schema.unicodeScalars.allSatisfy(Self.isIdentifierScalar) {
            throw StoreError(
                operation: .open, location: url.redacted, kind: .invalidValue,
                detail: "the schema name '\(schema)' may hold only lowercase letters, digits and _")
        }
        self.url = url
        self.tls = url.tls ?? tls
        self.schema = schema
        self.operationTimeout = operationTimeout
        self.timeSource = timeSource
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        self.logger = background
        var pool = background
        pool.handler = connectWatch.handler(background.handler)
        client = PostgresClient(
            configuration: Self.clientConfiguration(url, tls: self.tls, schema: schema), backgroundLogger: pool)
        running = Task { [client] in await client.run() }
    }

    deinit { running.cancel() }

    /// How many `write`s of this store have committed so far: whether this process's writes go
    /// through (a fleet hand-over keeps its leases while they do: `FleetCoordinator`).
    package var writesCommitted: Int { committed.load(ordering: .relaxed) }

    /// Counts one committed write.
    func noteWriteCommitted() { committed.add(1, ordering: .relaxed) }

    /// Where errors say the store is: the URL without its password.
    package var location: String { url.redacted }

    /// Closes the pool's connections; later operations fail.
    public func close() async {
        running.cancel()
        await running.value
    }

    /// Connects, checks the schema and applies missing migrations; every operation does this first.
    public func prepare() async throws(StoreError) {
        if migrated.withLock({ $0 }) { return }
        try await migrate()
        migrated.withLock { $0 = true }
    }

    static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
    }

    private static func clientConfiguration(_ url: PostgresURL, tls: PostgresTLSMode, schema: String?)
        -> PostgresClient.Configuration
    {
        var configuration: PostgresClient.Configuration
        if let socket = url.socketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            let mode: PostgresClient.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(.makeClientConfiguration())
                case .require: .require(.makeClientConfiguration())
                }
            configuration = .init(
                host: url.host ?? "localhost", port: url.port, username: url.user, password: url.password,
                database: url.database, tls: mode)
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 8
        if let schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        return configuration
    }

    /// The configuration of the one-off connection that migrates (same server, login and schema).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = url.socketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            let mode: PostgresConnection.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            configuration = .init(
                host: url.host ?? "localhost", port: url.port, username: url.user, password: url.password,
                database: url.database, tls: mode)
        }
        configuration.options.connectTimeout = .seconds(10)
        if let schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        return configuration
    }

    /// Runs `body` on a pooled connection after `prepare()`, failing as unreachable after
    /// `operationTimeout`, or as soon as the server refuses connections (`pooled`).
    func withConnection<T: Sendable>(
        _ operation: StoreError.Operation, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        try await prepare()
        return try await withDeadline(operation) { [self] in try await pooled(body) }
    }

    /// `body` on a connection from the pool, or on one of this store's own while the pool cannot give
    /// one. While the operation waits for a pooled connection, each failed connect the pool reports
    /// (and the last one, when the pool has not connected since: its next try may be a backoff
    /// away, up to a minute) is checked by a connect of this store's own (`onProbe`). When that
    /// fails too (refused, no route, a connect timeout, a refused login), its error is thrown at
    /// once: the pool would keep its waiters until their deadline. When it succeeds, the server is
    /// back before the pool tries again: `body` runs on that connection, closed after. `body` runs
    /// once: the pool's lease and the probe each claim the operation (`OperationClaim`) before
    /// running it or failing it, and the one that comes second gives up.
    func pooled<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let (client, watch, closeWatch, claim) = (client, connectWatch, closeWatch, OperationClaim())
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { [self] in
                do {
                    return try await client.withConnection { connection in
                        watch.noteLeased(connection.id)
                        guard claim.take(.pool) else { return nil }
                        return try await closeWatch.run(on: connection, body)
                    }
                } catch {
                    switch claim.owner {
                    case .pool: throw error  // what `body` threw
                    case .probe, .failed: return nil  // the probe has the operation
                    case nil: break
                    }
                    if error is PSQLError || error is CancellationError {
                        guard claim.take(.failed) else { return nil }
                        throw error
                    }
                    // The pool refused the lease itself (its circuit breaker opens after a minute
                    // of failed connects, with its own error): a connect of this store's own says
                    // why, or finds the server back.
                    return try await onProbe(claim, body)
                }
            }
            group.addTask { [self] in
                guard await watch.failure(after: watch.baseline()) != nil, claim.owner == nil else { return nil }
                return try await onProbe(claim, body)
            }
            while let next = try await group.next() {
                if let value = next {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()  // the caller was cancelled while no side held the operation
        }
    }

    /// Connects once outside the pool. Connected: runs `body` on that connection when it claims
    /// the operation, then closes it; returns nil when the pool's lease had the operation first.
    /// Not connected: throws why the server cannot be reached, unless the operation went on
    /// elsewhere meanwhile (nil).
    private func onProbe<T: Sendable>(
        _ claim: OperationClaim, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T? {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try connectionConfiguration(), id: 0, logger: logger)
        } catch {
            guard claim.take(.failed) else { return nil }
            throw error
        }
        // A cancelled operation (its caller gave up, or its deadline passed) is not started here.
        let cancelled = Task.isCancelled
        let took = claim.take(cancelled ? .failed : .probe)
        guard took, !cancelled else {
            try? await connection.close()
            if took { throw CancellationError() }
            return nil
        }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await closeWatch.run(on: connection, body))
        } catch {
            outcome = .failure(error)
        }
        try? await connection.close()
        return try outcome.get()
    }

    /// Which side of `pooled` has the operation: the first to `take` it runs it (or fails it).
    private final class OperationClaim: Sendable {
        enum Owner: Int { case pool = 1, probe, failed }
        private let value = Atomic(0)

        var owner: Owner? { Owner(rawValue: value.load(ordering: .acquiring)) }

        /// Whether the operation is now `owner`'s (it had none before).
        func take(_ owner: Owner) -> Bool {
            value.compareExchange(expected: 0, desired: owner.rawValue, ordering: .acquiringAndReleasing).exchanged
        }
    }

    /// `body` in one transaction on a pooled connection (see `withConnection`); once more when a
    /// write's copy of new bars was refused (`PostgresBatchWriter.CopyRefused`).
    func inTransaction<T: Sendable>(
        _ operation: StoreError.Operation, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let logger = logger
        return try await withConnection(operation) { connection in
            do {
                return try await connection.withTransaction(logger: logger) { try await body($0) }
            } catch let error as PostgresTransactionError where error.closureError is PostgresBatchWriter.CopyRefused {
                // Rolled back: the write again, now staging its bars (see `PostgresBatchWriter.BarPath`).
                return try await connection.withTransaction(logger: logger) { try await body($0) }
            }
        }
    }

    /// `body`, or a `StoreError` of kind `.unreachable` when it takes longer than `operationTimeout`.
    /// At the deadline the body is cancelled and left behind, not awaited (`DeadlineRace`): a
    /// postgres-nio query waits for the server's answer even when cancelled. A cancelled write or
    /// migration is awaited until it ends (or the deadline), so that it never overlaps what its
    /// caller does next; a cancelled read or connect is left at once.
    func withDeadline<T: Sendable>(_ operation: StoreError.Operation, _ body: @escaping @Sendable () async throws -> T)
        async throws(StoreError) -> T
    {
        let timeout = operationTimeout
        let changesTheStore = operation == .write || operation == .migrate
        do {
            return try await DeadlineRace.value(within: timeout, untilDoneWhenCancelled: changesTheStore, of: body)
        } catch is DeadlineRace.Unanswered {
            throw StoreError(
                operation: operation, location: location, kind: .unreachable,
                detail: "PostgreSQL did not answer within \(DurationParser.format(timeout))")
        } catch {
            throw storeError(operation, error)
        }
    }

    /// Runs a query and turns each row into a value.
    func fetch<T: Sendable>(_ query: PostgresQuery, _ map: @escaping @Sendable (PostgresRow) throws -> T)
        async throws(StoreError) -> [T]
    {
        let logger = logger
        return try await withConnection(.read) { connection in
            var values: [T] = []
            for try await row in try await connection.query(query, logger: logger) { values.append(try map(row)) }
            return values
        }
    }
}

extension PostgresStore {
    /// The store `[store]` describes: the URL from the environment variable named by `url_env`
    /// (an error names the variable, never its value), with `tls` unless the URL sets `sslmode`.
    package convenience init(
        _ configuration: StoreConfiguration, environment: [String: String], timeSource: any TimeSource = SystemTimeSource()
    ) throws(StoreError) {
        let name = configuration.urlEnvironment ?? ""
        guard let text = environment[name], !text.isEmpty else {
            throw StoreError(
                operation: .open, location: "postgres (store.url_env = \(name))", kind: .invalidValue,
                detail: "the environment variable \(name) is not set; it must hold the connection URL "
                    + "(postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        let url: PostgresURL
        do {
            url = try PostgresURL(text)
        } catch {
            throw StoreError(
                operation: .open, location: "postgres (store.url_env = \(name))", kind: .invalidValue,
                detail: "the URL in \(name) cannot be used: \(error)")
        }
        try self.init(url: url, tls: configuration.tls, timeSource: timeSource)
    }
}

extension PostgresStore {
    /// Drops this store's schema with every row, then closes the store (tests: each store has a schema of its own).
    package func dropSchema() async throws(StoreError) {
        guard let schema else { return }
        let logger = logger
        try await withConnection(.write) { connection in
            _ = try await connection.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: logger)
        }
        await close()
    }
}
