import CollectorTestSupport
import Foundation
import GRDB
import Testing

@testable import Collector

/// A crash after a spill file was written to the store but before it was removed makes the next
/// start replay it again: nothing may be stored twice (bars and quotes are upserts; anomalies and
/// health transitions are keyed by their identity, migration `replay-identity`).
@Suite("Spill file replay", .timeLimit(.minutes(1)))
struct StoreSpillReplayTests {
    typealias S = StoreSamples

    static let down = HealthTransition(source: S.yahoo, from: .polling, to: .down, detail: "HTTP 503", at: S.origin + .seconds(5))
    static let back = HealthTransition(source: S.yahoo, from: .down, to: .polling, detail: nil, at: S.origin + .seconds(9))

    /// What a run that could not write left behind: bars, a quote, anomalies and transitions.
    static let leftover = [
        StoreBatch(
            quotes: [S.quote(bid: 10, receivedAt: 3)], bars: (0..<3).map { S.bar($0) },
            anomalies: [S.anomaly("crossed-quote", detectedAt: 4, subject: .quote(S.quote(bid: 11, receivedAt: 4)))],
            transitions: [down]),
        StoreBatch(
            bars: [S.bar(3)], anomalies: [S.anomaly("bar-gap", detectedAt: 8, subject: .bar(S.bar(3)))], transitions: [back])
    ]

    /// Starts a writer on the database, which writes the spill file left beside it, and ends it.
    private func replay(_ path: String) async throws {
        let writer = StoreWriter(
            store: try SQLiteStore(path: path), batchSize: 1, flushInterval: .seconds(3600), clock: ManualClock(),
            spillFor: path, logger: LogRecorder().logger)
        writer.finish()
        await writer.run()
        #expect(writer.current.rowsWaiting == 0 && writer.current.rowsWritten == 9)
    }

    @Test func aSpillFileReplayedTwiceStoresEachRowOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-replay")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        let spill = StoreSpillFile(forDatabaseAt: path)
        try spill.append(Self.leftover)
        let copy = try Data(contentsOf: URL(fileURLWithPath: spill.path))

        try await replay(path)
        #expect(!spill.exists)
        // The crash came before the removal: the same file is there at the next start.
        try copy.write(to: URL(fileURLWithPath: spill.path))
        try await replay(path)
        #expect(!spill.exists)

        let store = try SQLiteStore(path: path)
        #expect(
            try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 10) == (0..<4).map { S.bar($0) }
        )
        #expect(try await store.latestQuotes() == Self.leftover[0].quotes)
        #expect(try await store.recentAnomalies(limit: 10) == Self.leftover.reversed().flatMap(\.anomalies))
        #expect(try await store.recentTransitions(limit: 10) == [Self.back, Self.down])
        #expect(try await store.barRevisions(symbol: S.aapl, timeframe: .oneMinute, in: S.everything).isEmpty)
    }

    @Test(arguments: StoreFactory.all)
    func writingTheSameAnomaliesAndTransitionsAgainStoresNothing(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let first = try await store.write(Self.leftover[0])
            #expect(first.anomaliesWritten == 1 && first.transitionsWritten == 1)
            var again = Self.leftover[0]
            // Another finding about the same value, or the same state change later, is new.
            let other = S.anomaly("price-spike", detectedAt: 4, subject: Self.leftover[0].anomalies[0].subject)
            var later = Self.down
            later.at = later.at + .seconds(1)
            again.anomalies.append(other)
            again.transitions.append(later)
            let second = try await store.write(again)
            #expect(second.anomaliesWritten == 1 && second.transitionsWritten == 1)
            #expect(try await store.recentAnomalies(limit: 10).count == 2)
            #expect(try await store.recentTransitions(limit: 10) == [later, Self.down])
        }
    }

    /// A database that already holds duplicates from an earlier replay keeps the first of each.
    @Test func theMigrationRemovesDuplicatesAlreadyStored() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-replay")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "nullable-quote-sides")
            try await queue.write { db in
                for _ in 0..<2 {
                    try db.execute(
                        sql: """
                            INSERT INTO anomalies (rule, severity, symbol, source, kind, value_time, detected_at, quarantined,
                                fields_json, message, subject_json)
                            VALUES ('bar-gap', 'warning', 'AAPL', 'alpaca', 'bar', 1, 2, 1, '[]', 'gap', '{"bar":1}')
                            """)
                    try db.execute(
                        sql:
                            "INSERT INTO health_transitions (source, from_state, to_state, detail, at) VALUES ('yahoo', 'polling', 'down', NULL, 7)"
                    )
                }
            }
            try queue.close()
        }
        let store = try SQLiteStore(path: path)
        let counts = try await store.pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM anomalies"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM health_transitions"),
                try Int.fetchOne(db, sql: "SELECT MIN(id) FROM anomalies")
            )
        }
        #expect(counts.0 == 1 && counts.1 == 1 && counts.2 == 1)
        #expect(try await store.appliedMigrations().last == "replay-identity")
    }
}
