import Collector
import CollectorTestSupport
import Foundation
import MonitorUI
import Testing

/// What a `--once` run that ended early says is missing, and its exit status.
@Suite("Once missing")
struct OnceMissingTests {
    static func missing(_ snapshot: MarketSnapshot, endedBy: OnceMissing.Ending = .deadline) -> OnceMissing {
        var entry = BackfillProgress.Entry(source: .simulated)
        entry.pending = [.init(symbol: MarketFixtures.symbol("AAPL"), timeframe: .oneDay, days: 400)]
        return OnceMissing(
            endedBy: endedBy, deadline: .seconds(5), snapshot: snapshot, backfill: [entry],
            pauses: [.simulated: Timestamp(rfc3339: "2026-03-03T00:00:00Z")!, "alpaca": snapshot.takenAt - .seconds(1)])
    }

    @Test func unfinishedBackfillIsExitFiveOnlyWhenEveryQuoteIsFine() async throws {
        var snapshot = await SnapshotFixtures.snapshot()
        let missing = Self.missing(snapshot)
        #expect(OnceVerdict(snapshot, missing: missing).exitCode == 2, "no value outranks unfinished history")
        snapshot.symbols = snapshot.symbols.filter { $0.quality != .stale && $0.quality != .noData }
        snapshot.quarantinedCount = 0
        let verdict = OnceVerdict(snapshot, missing: Self.missing(snapshot))
        #expect(verdict == .incomplete(windows: 1))
        #expect(verdict.exitCode == 5)
        #expect(verdict.summary == "all symbols fresh and clean; 1 backfill window not fetched yet")
        #expect(OnceVerdict(snapshot).exitCode == 0, "a run that got everything")
    }

    @Test func theTextAndJSONSayWhatIsMissingAndWhichSourceIsPausedUntilWhen() async throws {
        let snapshot = await SnapshotFixtures.snapshot()
        let missing = Self.missing(snapshot)
        #expect(
            missing.lines() == [
                "INCOMPLETE  the deadline (5.0s) passed first",
                "  no value: NVDA",
                "  backfill not fetched (the next run fetches it): SIM AAPL 1Day",
                "  SIM paused until 2026-03-03 00:00 UTC"
            ])
        let text = OnceTextReport(snapshot: snapshot, history: [], store: "memory", missing: missing).render()
        #expect(text.contains("\nINCOMPLETE  the deadline (5.0s) passed first\n"))
        let report = OnceReport(snapshot: snapshot, history: [], store: "memory", missing: missing)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(object["incomplete"] as? Bool == true)
        let json = try #require(object["missing"] as? [String: Any])
        #expect(json["endedBy"] as? String == "deadline")
        #expect(json["symbols"] as? [String] == ["NVDA"])
        let window = try #require((json["backfill"] as? [[String: Any]])?.first)
        #expect(
            window["symbol"] as? String == "AAPL" && window["timeframe"] as? String == "1Day" && window["days"] as? Int == 400)
        let paused = try #require(json["paused"] as? [[String: Any]])
        #expect(paused.map { $0["source"] as? String } == ["SIM"], "a pause that has ended is not listed")
    }
}
