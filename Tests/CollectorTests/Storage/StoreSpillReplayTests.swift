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

    /// A run that received two versions of a bar keeps both in its spill file: the first replay
    /// stores the later one and keeps the earlier as its revision; a second replay changes nothing.
    @Test func aSpillFileWithTwoVersionsOfABarReplayedTwiceKeepsOneRevision() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-replay")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        let spill = StoreSpillFile(forDatabaseAt: path)
        let (first, revised) = (S.bar(0), S.bar(0, close: 111))
        try spill.append([StoreBatch(bars: [first, S.bar(1)]), StoreBatch(bars: [revised])])
        let copy = try Data(contentsOf: URL(fileURLWithPath: spill.path))

        for _ in 0..<2 {
            try copy.write(to: URL(fileURLWithPath: spill.path))
            let writer = StoreWriter(
                store: try SQLiteStore(path: path), batchSize: 1, flushInterval: .seconds(3600), clock: ManualClock(),
                spillFor: path, logger: LogRecorder().logger)
            writer.finish()
            await writer.run()
            #expect(writer.current.rowsWaiting == 0 && !spill.exists)
        }

        let store = try SQLiteStore(path: path)
        let bars = try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 10)
        #expect(bars == [revised, S.bar(1)])
        #expect(try await store.barRevisions(symbol: S.aapl, timeframe: .oneMinute, in: S.everything).map(\.bar) == [first])
    }

    /// A write counts a bar by its last version: when that is what is stored, the earlier
    /// versions in the same write are no revisions (in every store).
    @Test(arguments: StoreFactory.all)
    func writingTheSameVersionsOfABarAgainRevisesNothing(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let versions = [S.bar(0), S.bar(0, close: 111), S.bar(0, close: 112)]
            let first = try await store.write(StoreBatch(bars: versions + [S.bar(1)]))
            #expect(first.barsInserted == 2 && first.barsRevised == 2)
            let again = try await store.write(StoreBatch(bars: versions + [S.bar(1)]))
            #expect(again.barsInserted == 0 && again.barsRevised == 0 && again.barsAlreadyStored == 4)
            #expect(try await store.barRevisions(symbol: S.aapl, timeframe: .oneMinute, in: S.everything).count == 2)
            // Versions that end elsewhere than what is stored are revisions again.
            let back = try await store.write(StoreBatch(bars: [S.bar(0, close: 111), S.bar(0)]))
            #expect(back.barsRevised == 2)
            let bars = try await store.bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything)
            #expect(bars == [S.bar(0), S.bar(1)])
        }
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
        #expect(try await store.appliedMigrations().contains("replay-identity"))
    }
}
