import CollectorTestSupport
import Foundation
import Testing

@testable import Collector

/// `db export ticks`: the tape as CSV or JSON Lines.
@Suite("Tape export")
struct TapeExportTests {
    typealias S = StoreSamples

    /// `db export ticks`: the flat replay form; its JSON Lines replay as recorded.
    @Test func theTapeExportedAsJSONLinesReplaysAsRecorded() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-export")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let ticks = TapeStoreContractTests.sample()
        try await store.writeTicks(ticks)
        let lines = try DatabaseExportTests.export(DatabaseExport(table: .ticks, format: .jsonl), from: store.path)
        #expect(lines.count == ticks.count)
        #expect(
            lines[2]
                == #"{"type":"trade","symbol":"AAPL","source":"alpaca","time":"2026-01-01T00:00:00.12345679Z","#
                + #""received":"2026-01-01T00:00:01.123456789Z","bid":null,"bid_size":null,"ask":null,"ask_size":null,"#
                + #""last":null,"price":211.425,"size":100.0,"id":"52983525029461"}"#)
        let path = try ReplayFixtures.write(lines.joined(separator: "\n") + "\n", "tape.jsonl", in: directory)
        let replay = try ReplayFixtures.source(path)
        #expect(replay.problems.isEmpty)
        // In time order, ties in the order recorded; stamped with the replay source's id; a receipt
        // before the exchange time (clock skew) replays at the exchange time.
        let expected = ticks.sorted { $0.exchangeTime < $1.exchangeTime }.map { tick in
            var tick = tick
            tick.source = ReplayFixtures.id
            tick.receivedAt = max(tick.receivedAt, tick.exchangeTime)
            return tick.event
        }
        #expect(replay.recordedValues == expected)

        let csv = try DatabaseExportTests.export(DatabaseExport(table: .ticks, format: .csv, symbols: [S.msft]), from: store.path)
        #expect(csv == [
            "type,symbol,source,time,received,bid,bid_size,ask,ask_size,last,price,size,id",
            "trade,MSFT,alpaca,2026-01-01T00:00:05.123456789Z,2026-01-01T00:00:05.123456789Z,,,,,,410.12,1e-09,"
        ])
    }
}

extension TapeExportTests {
    /// A flat quote may leave out a side (the tape keeps one-sided books), not every price.
    @Test func aFlatQuoteNeedsASideOrALast() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-export")
        defer { directory.remove() }
        let text = """
            {"type":"quote","symbol":"AAPL","time":1709303400123,"ask":10.5,"ask_size":2}
            {"type":"quote","symbol":"AAPL","time":1709303400124,"bid_size":2}
            """
        let replay = try ReplayFixtures.source(try ReplayFixtures.write(text, "q.jsonl", in: directory))
        #expect(replay.problems.map(\.description) == ["q.jsonl line 2: bid and ask are missing (and there is no last)"])
        #expect(ReplayFixtures.quotes(replay.recordedValues).map(\.ask) == [10.5])
    }
}

extension TapeExportTests {
    /// `db prune` counts and deletes the tape's ticks older than the cutoff (by exchange time).
    @Test func pruneRemovesOldTicks() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-prune")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let ticks = TapeStoreContractTests.sample()
        try await store.writeTicks(ticks)
        let prune = DatabasePrune(cutoff: S.origin + .seconds(5))
        let file = DatabaseFile(path: store.path)
        #expect(try prune.count(in: file).ticks == 3)
        #expect(try prune.delete(in: file).ticks == 3)
        #expect(try await store.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 10) == [ticks[4]])
        #expect(try await store.ticks(symbol: S.msft, source: nil, in: S.everything, limit: 10) == [ticks[3]])
    }
}
