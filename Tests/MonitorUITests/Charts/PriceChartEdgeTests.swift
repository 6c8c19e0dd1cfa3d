import Collector
import CollectorTestSupport
import MonitorUI
import Testing

@Suite("Chart: price chart edges")
struct PriceChartEdgeTests {
    static let sentinel = Cell("·", role: .selection)

    /// Renders into a 40x16 buffer prefilled with a sentinel and checks no cell outside `rect` changed.
    func renderInside(_ rect: Rect, _ bars: [Bar], _ mode: PriceChart.Mode) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: 40, height: 16)
        for row in 0..<buffer.height { for column in 0..<buffer.width { buffer[row, column] = Self.sentinel } }
        PriceChart.render(bars, mode: mode, into: &buffer, rect: rect)
        for row in 0..<buffer.height {
            for column in 0..<buffer.width {
                let inside = row >= rect.row && row < rect.bottom && column >= rect.column && column < rect.right
                if !inside { #expect(buffer[row, column] == Self.sentinel, "cell \(row),\(column) outside \(rect)") }
            }
        }
        return buffer
    }

    static let rects = [
        Rect(row: 3, column: 5, width: 0, height: 0), Rect(row: 3, column: 5, width: 3, height: 2),
        Rect(row: 3, column: 5, width: 10, height: 4), Rect(row: 2, column: 4, width: 30, height: 12),
        Rect(row: 15, column: 38, width: 10, height: 10), Rect(row: -2, column: -3, width: 12, height: 6),
        Rect(row: 0, column: 0, width: 40, height: 16), Rect(row: 5, column: 5, width: 1, height: 1)
    ]

    @Test(arguments: rects, [0, 1, 2, 300])
    func staysInsideTheRect(_ rect: Rect, _ count: Int) {
        for mode in PriceChart.Mode.allCases {
            _ = renderInside(rect, PriceChartTests.bars(count: count), mode)
        }
    }

    @Test func noBarsSaysSo() {
        let buffer = renderInside(Rect(row: 2, column: 4, width: 30, height: 12), [], .candles)
        #expect(buffer.text().contains("no bars"))
        let tiny = renderInside(Rect(row: 2, column: 4, width: 5, height: 3), [], .line)
        #expect(!tiny.text().contains("no"))
    }

    @Test func oneBarDrawsOneCandleAndOnePoint() {
        let bar = MarketFixtures.bar(open: 100, high: 101, low: 99, close: 100.5)
        let candles = PriceChartTests.render([bar], .candles, width: 30, height: 10)
        let column = (0..<10).map { candles[$0, 0].character }
        #expect(column.contains("█") || column.contains("▀") || column.contains("▄"))
        #expect(candles.text().contains("┤101.00") && candles.text().contains("┤99.00"))
        #expect(candles.text().contains("15:00"))
        let line = PriceChartTests.render([bar], .line, width: 30, height: 10)
        let dots = line.cells.filter { ("\u{2801}"..."\u{28FF}").contains($0.character) }
        #expect(dots.count == 1)
    }

    @Test(arguments: PriceChart.Mode.allCases)
    func flatPricesSitMidPlot(_ mode: PriceChart.Mode) {
        let bars = (0..<30).map {
            MarketFixtures.bar(start: MarketFixtures.baseTime + .seconds(60 * $0), open: 100, high: 100, low: 100, close: 100)
        }
        let buffer = PriceChartTests.render(bars, mode, width: 40, height: 12)
        let plotRows = (0..<11).filter { row in (0..<30).contains { buffer[row, $0].character != " " } }
        #expect(plotRows == [5])
        #expect(buffer.text().contains("┤100.00"))
    }

    @Test func candleBodiesTakeTheirBarsDirection() {
        let up = MarketFixtures.bar(open: 100, high: 106, low: 99, close: 105)
        let down = MarketFixtures.bar(start: MarketFixtures.baseTime + .seconds(60), open: 105, high: 106, low: 99, close: 100)
        let buffer = PriceChartTests.render([up, down], .candles, width: 30, height: 12)
        for (column, role) in [(0, CellRole.up), (1, .down)] {
            let cells = (0..<11).map { buffer[$0, column] }
            let body = cells.filter { "█▀▄".contains($0.character) }
            #expect(body.count >= 5)
            #expect(body.allSatisfy { $0.role == role })
            #expect(cells.contains { $0.character == "│" || $0.character == "╵" || $0.character == "╷" })
        }
    }

    @Test func lineTakesTheOverallDirection() {
        let rising = PriceChartTests.bars(count: 20)
        let falling = rising.reversed().enumerated().map { index, bar in
            var bar = bar
            bar.start = MarketFixtures.baseTime + .seconds(60 * index)
            return bar
        }
        for (bars, role) in [(rising, CellRole.up), (falling, .down)] {
            let buffer = PriceChartTests.render(bars, .line, width: 40, height: 12)
            let dots = buffer.cells.filter { ("\u{2801}"..."\u{28FF}").contains($0.character) }
            #expect(!dots.isEmpty)
            #expect(dots.allSatisfy { $0.role == role })
        }
    }

    @Test func axesAreDimAndTimeLabelsNeverOverlap() {
        let buffer = PriceChartTests.render(PriceChartTests.bars(count: 200), .line, width: 80, height: 20)
        let bottom = (0..<80).map { buffer[19, $0] }
        let labels = String(bottom.map(\.character)).split(separator: " ")
        #expect(labels.count >= 3)
        #expect(labels.allSatisfy { $0.count == 5 && $0.contains(":") })
        #expect(bottom.filter { $0.character != " " }.allSatisfy { $0.role == .dim })
        #expect(buffer.cells.filter { $0.character == "┤" }.allSatisfy { $0.role == .dim })
    }
}
