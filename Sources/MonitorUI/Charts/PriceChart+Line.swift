import Collector

extension PriceChart {
    /// Draws the closes as a braille line across the plot's full width, coloured by
    /// the overall direction (last close against first); returns each bar's column offset.
    static func drawLine(_ bars: [Bar], scale: PriceScale, plot: Rect, into buffer: inout ScreenBuffer) -> [Int] {
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        let xs = dotColumns(count: bars.count, dotWidth: canvas.dotWidth)
        let ys = bars.map { canvas.dotHeight - 1 - scale.unit($0.close, perRow: 4) }
        var previous: (x: Int, y: Int)?
        for (x, y) in zip(xs, ys) {
            if let previous { canvas.line(from: previous, to: (x, y)) } else { canvas.set(x: x, y: y) }
            previous = (x, y)
        }
        let rising = (bars.last?.close ?? 0) >= (bars.first?.close ?? 0)
        for row in 0..<canvas.rows {
            for column in 0..<canvas.columns {
                guard let glyph = canvas.character(row: row, column: column) else { continue }
                buffer.set(
                    glyph, row: plot.row + row, column: plot.column + column, role: rising ? .up : .down,
                    clippedTo: plot)
            }
        }
        return xs.map { $0 / 2 }
    }

    /// The dot column of each of `count` points: one per dot column when they fill
    /// the width, otherwise spread evenly from the left edge to the right edge.
    static func dotColumns(count: Int, dotWidth: Int) -> [Int] {
        guard count > 1, count < dotWidth else { return Array(0..<count) }
        let stride = Double(dotWidth - 1) / Double(count - 1)
        return (0..<count).map { Int((Double($0) * stride).rounded()) }
    }
}
