import Collector
import CollectorTestSupport
import Testing

/// Makes a fresh store of one kind, so one contract suite runs against every store.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    /// Makes a store in the directory that stamps writes with the time source's time.
    let make: @Sendable (TemporaryDirectory, any TimeSource) throws -> any MarketStore

    var testDescription: String { name }

    static let inMemory = StoreFactory(name: "InMemoryStore") { _, time in InMemoryStore(timeSource: time) }
    static let sqlite = StoreFactory(name: "SQLiteStore") { directory, time in
        try SQLiteStore(path: directory.path("store.sqlite"), timeSource: time)
    }
    /// In a schema of its own in the database of `TICKTOP_TEST_POSTGRES_URL`; skipped without it.
    static let postgres = StoreFactory(name: "PostgresStore") { _, time in
        guard let url = try PostgresTestDatabase.url else { try Test.cancel(Comment(rawValue: PostgresTestDatabase.skipReason)) }
        return try PostgresStore(url: url, tls: .disable, schema: PostgresTestDatabase.freshSchema(), timeSource: time)
    }
    /// Every store; PostgreSQL only when the test server is configured (else the "PostgresStore" suite is
    /// reported skipped, with the reason: a cancelled test case would be counted as passed).
    static let all = PostgresTestDatabase.isConfigured ? [inMemory, sqlite, postgres] : [inMemory, sqlite]

    /// Runs `body` with a fresh store of this kind and removes its directory afterwards.
    func withStore(
        timeSource: any TimeSource = FixedTimeSource(), _ body: (any MarketStore) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-store-test")
        defer { directory.remove() }
        let store = try make(directory, timeSource)
        do {
            try await body(store)
        } catch {
            try? await (store as? PostgresStore)?.dropSchema()
            throw error
        }
        try await (store as? PostgresStore)?.dropSchema()
    }
}
