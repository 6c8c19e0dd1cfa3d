import Collector
import CollectorTestSupport
import Foundation
import Testing

@Suite("Database export and prune")
struct DatabaseExportTests {
    typealias S = StoreSamples

    static func export(_ export: DatabaseExport, from path: String) throws -> [String] {
        var text = ""
        try export.run(on: DatabaseFile(path: path)) { text += $0 }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func barsComeOutAsCSVWithExactValuesAndInstants() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-export")
        let store = try SQLiteStore(path: directory.path("t.sqlite"), timeSource: FixedTimeSource(S.origin + .nanoseconds(1_500)))
        var odd = S.bar(1)
        odd.close = 211.42
        odd.volume = 0.1 + 0.2
        try await store.write(StoreBatch(bars: [S.bar(0), odd, S.bar(0, symbol: S.msft)]))
        let lines = try Self.export(DatabaseExport(table: .bars, format: .csv, symbols: [S.aapl]), from: store.path)
        #expect(lines.count == 3)
        #expect(lines[0] == "symbol,timeframe,source,start,open,high,low,close,volume,vwap,trade_count,received_at")
        #expect(
            lines[2]
                == "AAPL,1Min,alpaca,2026-01-01T00:01:00Z,100.25,101.25,99.25,211.42,0.30000000000000004,,1,2026-01-01T00:00:00.0000015Z"
        )
    }

    @Test func alertsComeOutAsJSONLinesWithNullsAndEscapes() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-export")
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let alert = Alert(
            kind: .symbolSilent, severity: .warning, subject: "AAPL", message: "silent \"2m\",\nsince 14:02", raisedAt: S.origin)
        try await store.write(StoreBatch(alerts: [alert]))
        let lines = try Self.export(DatabaseExport(table: .alerts, format: .jsonl), from: store.path)
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "silent \"2m\",\nsince 14:02")
        #expect(object["cleared_at"] is NSNull)
        #expect(object["raised_at"] as? String == "2026-01-01T00:00:00Z")
    }

    @Test func rangeAndTimeframeNarrowTheExport() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-export")
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        try await store.write(StoreBatch(bars: (0..<10).map { S.bar($0) } + [S.bar(2, timeframe: .fiveMinutes)]))
        let range = (S.origin + .seconds(120))...(S.origin + .seconds(240))
        let lines = try Self.export(
            DatabaseExport(table: .bars, format: .jsonl, timeframe: .oneMinute, range: range), from: store.path)
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("\"timeframe\":\"1Min\"") })
    }

    @Test func pruneCountsFirstThenDeletesOldRowsButKeepsOpenAlerts() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-prune")
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        var cleared = Alert(kind: .symbolSilent, severity: .warning, subject: "AAPL", message: "old", raisedAt: S.origin)
        cleared.clearedAt = S.origin + .seconds(30)
        let open = Alert(kind: .symbolSilent, severity: .warning, subject: "MSFT", message: "still open", raisedAt: S.origin)
        try await store.write(StoreBatch(bars: (0..<10).map { S.bar($0) }, alerts: [cleared, open]))
        let prune = DatabasePrune(cutoff: S.origin + .seconds(300))
        let file = DatabaseFile(path: store.path)

        let counted = try prune.count(in: file)
        #expect(counted.bars == 5 && counted.alerts == 1)
        #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 10)

        let deleted = try prune.delete(in: file)
        #expect(deleted == counted)
        #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 5)
        #expect(try await store.recentAlerts(limit: 10).map(\.subject) == ["MSFT"])
    }
}
