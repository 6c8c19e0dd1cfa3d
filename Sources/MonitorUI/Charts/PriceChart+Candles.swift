import Collector

extension PriceChart {
    /// What one half of a cell shows for a candle.
    enum CandlePart { case none, wick, body }

    /// Draws one candle per column from the plot's left edge; returns each bar's column offset.
    /// Rows are split in two halves, so bodies move in half-row steps.
    static func drawCandles(_ bars: [Bar], scale: PriceScale, plot: Rect, into buffer: inout ScreenBuffer) -> [Int] {
        for (offset, bar) in bars.enumerated() {
            let role: CellRole = bar.close >= bar.open ? .up : .down
            let wick = scale.unit(low(of: bar), perRow: 2)...scale.unit(high(of: bar), perRow: 2)
            let body = scale.unit(min(bar.open, bar.close), perRow: 2)...scale.unit(max(bar.open, bar.close), perRow: 2)
            func part(_ unit: Int) -> CandlePart { body.contains(unit) ? .body : wick.contains(unit) ? .wick : .none }
            for row in 0..<plot.height {
                let lower = 2 * (plot.height - 1 - row)
                guard let glyph = candleGlyph(upper: part(lower + 1), lower: part(lower)) else { continue }
                buffer.set(glyph, row: plot.row + row, column: plot.column + offset, role: role, clippedTo: plot)
            }
        }
        return Array(bars.indices)
    }

    /// The character for a cell whose upper and lower halves show these parts.
    static func candleGlyph(upper: CandlePart, lower: CandlePart) -> Character? {
        switch (upper, lower) {
        case (.body, .body): "█"
        case (.body, _): "▀"
        case (_, .body): "▄"
        case (.wick, .wick): "│"
        case (.wick, .none): "╵"
        case (.none, .wick): "╷"
        case (.none, .none): nil
        }
    }
}
