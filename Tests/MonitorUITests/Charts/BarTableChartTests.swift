import Collector
import CollectorTestSupport
import MonitorUI
import Testing

@Suite("Chart: bar table")
struct BarTableChartTests {
    @Test func lastBarsNewestFirstInAlignedColumns() {
        let bars = MarketFixtures.minuteBars(count: 5).enumerated().map { index, bar in
            var bar = bar
            bar.volume = [950, 12_345, 4_560_000, 1_000, 2_000][index]
            return bar
        }
        #expect(
            BarTable.lines(bars, limit: 3, assetClass: .equity) == [
                "TIME                OPEN    HIGH    LOW   CLOSE  VOLUME",
                "2026-03-02 15:04  100.04  100.09  99.99  100.05    2.0K",
                "2026-03-02 15:03  100.03  100.08  99.98  100.04    1.0K",
                "2026-03-02 15:02  100.02  100.07  99.97  100.03   4.56M"
            ])
    }

    @Test func dailyBarsShowTheDateAndFXPrecision() {
        let bar = MarketFixtures.bar(
            "EURUSD=X", timeframe: .oneDay, start: Timestamp(seconds: 1_767_571_200), open: 1.08123, high: 1.08456,
            low: 1.07901, close: 1.08234, volume: 0)
        #expect(
            BarTable.lines([bar], limit: 10, assetClass: .fx) == [
                "TIME           OPEN     HIGH      LOW    CLOSE  VOLUME",
                "2026-01-05  1.08123  1.08456  1.07901  1.08234       0"
            ])
    }

    @Test func noBarsOrNoLimitGiveTheHeaderOnly() {
        let header = ["TIME  OPEN  HIGH  LOW  CLOSE  VOLUME"]
        #expect(BarTable.lines([], limit: 5, assetClass: nil) == header)
        #expect(BarTable.lines(MarketFixtures.minuteBars(count: 3), limit: 0, assetClass: nil) == header)
        #expect(BarTable.lines(MarketFixtures.minuteBars(count: 3), limit: -1, assetClass: nil) == header)
    }
}
