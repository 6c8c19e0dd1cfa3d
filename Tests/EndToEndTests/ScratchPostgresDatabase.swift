import Collector
import CollectorTestSupport
import Foundation
import Logging
import PostgresNIO

/// A database of its own on the test server (`TICKTOP_TEST_POSTGRES_URL`), for processes that must
/// share a store holding nothing else (a fleet's registry and leases are per database); the test
/// reads it with plain SQL and `drop()`s it at the end.
struct ScratchPostgresDatabase {
    let name: String
    /// Its URL with the test server's login: given to the processes through the environment.
    let url: String
    private let server: PostgresURL
    private static let logger = Logger(label: "e2e.postgres")

    /// Creates the database on the server of `serverURL` (default: the test server); fails when it does not answer.
    static func create(on serverURL: String? = nil) async throws -> ScratchPostgresDatabase {
        let text = serverURL ?? ProcessInfo.processInfo.environment[PostgresTestDatabase.variable] ?? ""
        let server = try PostgresURL(text)
        let name = "ticktop_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        guard var components = URLComponents(string: text) else { throw URLError(.badURL) }
        components.path = "/" + name
        guard let url = components.string else { throw URLError(.badURL) }
        try await Self.run(on: server, database: server.database, "CREATE DATABASE \(name)")
        return ScratchPostgresDatabase(name: name, url: url, server: server)
    }

    /// The rows of `sql`, each decoded by `decode` (e.g. `{ try $0.decode((String, Int64).self) }`).
    func rows<Row: Sendable>(_ sql: String, _ decode: @escaping @Sendable (PostgresRow) throws -> Row) async throws -> [Row] {
        try await Self.withConnection(to: server, database: name) { connection in
            var rows: [Row] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger) {
                rows.append(try decode(row))
            }
            return rows
        }
    }

    /// The one integer `sql` answers (a count).
    func count(_ sql: String) async throws -> Int64 {
        try await rows(sql) { try $0.decode(Int64.self) }.first ?? 0
    }

    /// Drops the database, ending any connection still open to it.
    func drop() async throws {
        try await Self.run(on: server, database: server.database, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func run(on server: PostgresURL, database: String, _ sql: String) async throws {
        try await withConnection(to: server, database: database) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    private static func withConnection<T: Sendable>(
        to server: PostgresURL, database: String, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let configuration = PostgresConnection.Configuration(
            host: server.host ?? "127.0.0.1", port: server.port, username: server.user, password: server.password,
            database: database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
