import Collector
import CollectorTestSupport
import Testing

/// Makes a fresh store of one kind, so one contract suite runs against every store.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (TemporaryDirectory) throws -> any MarketStore

    var testDescription: String { name }

    static let inMemory = StoreFactory(name: "InMemoryStore") { _ in InMemoryStore() }
    static let sqlite = StoreFactory(name: "SQLiteStore") { directory in
        try SQLiteStore(path: directory.path("store.sqlite"))
    }
    static let all = [inMemory, sqlite]

    /// Runs `body` with a fresh store of this kind and removes its directory afterwards.
    func withStore(_ body: (any MarketStore) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-store-test")
        defer { directory.remove() }
        try await body(try make(directory))
    }
}
