import Collector
import CollectorTestSupport
import MonitorUI
import Testing

private let F = MarketFixtures.self

@Suite("History revisions and database check report")
struct HistoryRevisionsTests {
    static let day1 = Timestamp(rfc3339: "2024-03-04")!
    static let day2 = Timestamp(rfc3339: "2024-03-05")!

    @Test func eachRevisedBarShowsEveryVersionWithWhenItWasReceivedAndReplaced() {
        let first = F.bar(
            source: "polygon", timeframe: .oneDay, start: Self.day1, open: 176.15, high: 176.9, low: 173.79, close: 175.0,
            volume: 80_000_000)
        var second = first
        second.close = 175.05
        var stored = first
        stored.close = 175.10
        stored.volume = 81_510_101
        let received = Timestamp(rfc3339: "2024-03-04T21:05:00Z")!
        let revisions = [
            BarRevision(bar: first, receivedAt: received, replacedAt: received + .seconds(3600)),
            BarRevision(bar: second, receivedAt: received + .seconds(3600), replacedAt: received + .seconds(86_400))
        ]
        let lines = HistoryTable(symbol: F.symbol("AAPL"), timeframe: .oneDay, bars: [stored]).revisionLines(revisions)
        #expect(
            lines == [
                "START       SRC      VERSION     OPEN    HIGH     LOW   CLOSE  VOLUME  RECEIVED              REPLACED",
                "2024-03-04  POLYGON  1         176.15  176.90  173.79  175.00  80.00M  2024-03-04T21:05:00Z  2024-03-04T22:05:00Z",
                "2024-03-04  POLYGON  2         176.15  176.90  173.79  175.05  80.00M  2024-03-04T22:05:00Z  2024-03-05T21:05:00Z",
                "2024-03-04  POLYGON  3 stored  176.15  176.90  173.79  175.10  81.51M  2024-03-05T21:05:00Z",
                "",
                "1 bars revised (2 earlier versions kept) by POLYGON"
            ])
    }

    @Test func noRevisionsSaysSo() {
        let lines = HistoryTable(symbol: F.symbol("AAPL"), timeframe: .oneDay, bars: []).revisionLines([])
        #expect(lines == ["no revised 1Day bars for AAPL in that range: every stored bar is as first received"])
    }

    @Test func checkReportListsGapsAgainstTheCalendarButNotWeekends() {
        // Friday 2024-03-01, Monday 03-04 and Wednesday 03-06 stored: Tuesday 03-05 is missing, the weekend is not.
        let days = ["2024-03-01", "2024-03-04", "2024-03-06"].map { Timestamp(rfc3339: $0)! }
        let health = DatabaseFile.Health(
            integrity: ["ok"], migrations: ["v1"], rows: ["bars": 3],
            series: [DatabaseFile.Series(symbol: "AAPL", timeframe: "1Day", bars: 3, first: days[0], last: days[2], starts: days)]
        )
        let report = DatabaseCheckReport(path: "/x/t.sqlite", health: health, finder: GapFinder())
        #expect(report.hasGaps)
        #expect(
            report.lines() == [
                "database /x/t.sqlite",
                "integrity: ok",
                "schema: v1",
                "rows: bars 3",
                "history:",
                "SYMBOL  TIMEFRAME  BARS  FIRST                 LAST                  GAPS",
                "AAPL    1Day          3  2024-03-01T00:00:00Z  2024-03-06T00:00:00Z  1 (1 bars)",
                "gaps in AAPL 1Day:",
                "  2024-03-05T00:00:00Z (1 bar)"
            ])
    }
}
