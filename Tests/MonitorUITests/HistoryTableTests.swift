import Collector
import CollectorTestSupport
import MonitorUI
import Testing

private let F = MarketFixtures.self

@Suite("History table")
struct HistoryTableTests {
    static let day1 = Timestamp(rfc3339: "2024-03-04")!
    static let day2 = Timestamp(rfc3339: "2024-03-05")!

    static let bars = [
        F.bar(
            source: "alpaca", timeframe: .oneDay, start: day1, open: 176.15, high: 176.9, low: 173.79, close: 175.10,
            volume: 81_510_101),
        F.bar(
            source: "yahoo", timeframe: .oneDay, start: day1, open: 176.15, high: 176.9, low: 173.79, close: 175.12,
            volume: 81_510_000),
        F.bar(
            source: "alpaca", timeframe: .oneDay, start: day2, open: 170.76, high: 172.04, low: 169.62, close: 170.12,
            volume: 95_132_355),
        F.bar(
            source: "yahoo", timeframe: .oneDay, start: day2, open: 170.76, high: 172.04, low: 169.62, close: 171.50,
            volume: 95_132_000),
        F.bar(
            source: "polygon", timeframe: .oneDay, start: day2, open: 170.76, high: 172.04, low: 169.62, close: 170.13,
            volume: 95_132_355)
    ]

    @Test func eachSourceSideBySideWithSpreadAndDisagreement() {
        let lines = HistoryTable(symbol: F.symbol("AAPL"), timeframe: .oneDay, bars: Self.bars).lines(bySource: true)
        #expect(
            lines == [
                "START       ALPACA CLOSE  POLYGON CLOSE  YAHOO CLOSE    SPREAD",
                "2024-03-04        175.10              -       175.12   1.1 bps  missing from POLYGON",
                "2024-03-05        170.12         170.13       171.50  80.8 bps  DISAGREE",
                "",
                "2 bar starts from 3 sources, 1 differing by more than 50 bps"
            ])
    }

    @Test func oneRowPerBarWithItsSource() {
        let lines = HistoryTable(symbol: F.symbol("AAPL"), timeframe: .oneDay, bars: Array(Self.bars.prefix(2))).lines(
            bySource: false)
        #expect(
            lines == [
                "START       SRC       OPEN    HIGH     LOW   CLOSE  VOLUME",
                "2024-03-04  ALPACA  176.15  176.90  173.79  175.10  81.51M",
                "2024-03-04  YAHOO   176.15  176.90  173.79  175.12  81.51M"
            ])
    }

    @Test func saysWhenNothingIsStored() {
        let lines = HistoryTable(symbol: F.symbol("MSFT"), timeframe: .oneMinute, bars: []).lines(bySource: true)
        #expect(lines == ["no stored 1Min bars for MSFT in that range"])
    }
}
