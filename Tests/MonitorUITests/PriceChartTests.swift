import Collector
import CollectorTestSupport
import Foundation
import MonitorUI
import Testing

/// Lives directly in Tests/MonitorUITests so its snapshots share the excluded `__Snapshots__` folder.
@Suite("Chart: price chart")
struct PriceChartTests {
    /// A wavy, gently rising series: `count` bars of `timeframe` from `start`, each opening at the previous close.
    static func bars(
        count: Int, timeframe: Timeframe = .oneMinute, start: Timestamp = MarketFixtures.baseTime,
        base: Double = 100, amplitude: Double = 3
    ) -> [Bar] {
        let step = timeframe.nominalDuration
        func close(_ i: Int) -> Double { base + amplitude * sin(Double(i) / 9) + Double(i) * base * 0.0004 }
        return (0..<count).map { i in
            let open = i == 0 ? base : close(i - 1)
            let close = close(i)
            let reach = base * (0.0015 + 0.001 * Double(i % 5))
            return MarketFixtures.bar(
                timeframe: timeframe, start: start + step * i, open: open, high: max(open, close) + reach,
                low: min(open, close) - reach, close: close, volume: Double(1_000 + 37 * i))
        }
    }

    static let dailyStart = Timestamp(seconds: 1_767_571_200)  // 2026-01-05

    static func render(
        _ bars: [Bar], _ mode: PriceChart.Mode, width: Int = 80, height: Int = 20, assetClass: AssetClass? = nil
    ) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: width, height: height)
        PriceChart.render(
            bars, mode: mode, into: &buffer, rect: Rect(row: 0, column: 0, width: width, height: height),
            assetClass: assetClass)
        return buffer
    }

    func expectSnapshot(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        switch TextSnapshot.verify(text, named: name, testFile: #filePath) {
        case .matched: break
        case .recorded(let path):
            Issue.record("recorded \(path); run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
        case .missing(let path):
            Issue.record("no snapshot at \(path); run with RECORD_SNAPSHOTS=1 to record", sourceLocation: sourceLocation)
        case .mismatch(_, let diff): Issue.record("snapshot \(name) differs:\n\(diff)", sourceLocation: sourceLocation)
        }
    }

    @Test func candlesOfMinuteBarsAt80x20() {
        expectSnapshot(Self.render(Self.bars(count: 120), .candles).text(), "chart-candles-1min-80x20")
    }

    @Test func lineOfMinuteBarsAt80x20() {
        expectSnapshot(Self.render(Self.bars(count: 120), .line).text(), "chart-line-1min-80x20")
    }

    @Test func candlesOfDailyBarsAt80x20() {
        let bars = Self.bars(count: 90, timeframe: .oneDay, start: Self.dailyStart, base: 50, amplitude: 4)
        expectSnapshot(Self.render(bars, .candles).text(), "chart-candles-1day-80x20")
    }

    @Test func lineOfDailyBarsAt80x20() {
        let bars = Self.bars(count: 90, timeframe: .oneDay, start: Self.dailyStart, base: 50, amplitude: 4)
        expectSnapshot(Self.render(bars, .line).text(), "chart-line-1day-80x20")
    }

    @Test func fxPricesUseFiveDecimals() {
        let text = Self.render(Self.bars(count: 60, base: 1.08, amplitude: 0.002), .candles, assetClass: .fx).text()
        #expect(text.contains(#/┤1\.0\d{4}/#))
    }
}
