import Collector

/// The detail view's price chart of one symbol's bars: candles or a line of
/// closes using the rect's full width, with a price axis on the right and a
/// time axis (UTC) on the bottom row. Pure: it only writes cells inside `rect`.
package enum PriceChart {
    package enum Mode: Sendable, Hashable, CaseIterable {
        /// One column per bar: `│` wicks and half-block bodies (two body steps per row).
        case candles
        /// Closes joined by a braille line (2x4 dots per cell).
        case line
    }

    /// Draws the most recent `bars` that fit (oldest first, one timeframe) inside
    /// `rect` and nowhere else. Axes are left out when the rect is too small for
    /// them; no bars draws a short "no bars" message when it fits.
    package static func render(
        _ bars: [Bar], mode: Mode, into buffer: inout ScreenBuffer, rect: Rect, assetClass: AssetClass? = nil
    ) {
        guard !rect.isEmpty else { return }
        let bars = bars.filter { [$0.open, $0.high, $0.low, $0.close].allSatisfy(\.isFinite) }
        guard !bars.isEmpty else {
            drawMessage("no bars", into: &buffer, rect: rect)
            return
        }
        let barsPerCell = mode == .candles ? 1 : 2

        // Size the price labels from every bar that could be visible.
        let window = bars.suffix(rect.width * barsPerCell)
        let reference = window.map { max(abs(high(of: $0)), abs(low(of: $0))) }.max() ?? 0
        let decimals = DisplayFormat.decimals(forPrice: reference, assetClass: assetClass)
        let windowLabels = [window.map(high(of:)).max() ?? 0, window.map(low(of:)).min() ?? 0]
        let labelWidth = windowLabels.map { DisplayFormat.fixed($0, decimals).count }.max() ?? 0
        let axisWidth = labelWidth + 1
        let withAxes = rect.height >= 3 && rect.width - axisWidth >= 4
        let plot =
            withAxes ? Rect(row: rect.row, column: rect.column, width: rect.width - axisWidth, height: rect.height - 1) : rect

        let visible = Array(bars.suffix(plot.width * barsPerCell))
        let scale = PriceScale(
            dataLow: visible.map(low(of:)).min() ?? 0, dataHigh: visible.map(high(of:)).max() ?? 0, rows: plot.height)
        let columns: [Int]
        switch mode {
        case .candles: columns = drawCandles(visible, scale: scale, plot: plot, into: &buffer)
        case .line: columns = drawLine(visible, scale: scale, plot: plot, into: &buffer)
        }
        guard withAxes else { return }
        drawPriceAxis(scale, decimals: decimals, plot: plot, rect: rect, into: &buffer)
        let lane = rect.column..<rect.right
        for label in TimeAxis.labels(visible, columns: columns.map { plot.column + $0 }, lane: lane) {
            buffer.put(label.text, row: rect.bottom - 1, column: label.column, role: .dim, clippedTo: rect)
        }
    }

    /// The bar's highest price, counting open and close in case the high is inconsistent.
    static func high(of bar: Bar) -> Double { max(bar.high, bar.open, bar.close) }

    /// The bar's lowest price, counting open and close in case the low is inconsistent.
    static func low(of bar: Bar) -> Double { min(bar.low, bar.open, bar.close) }

    /// The axis line right of the plot, with `┤` ticks and labels on the labelled rows.
    private static func drawPriceAxis(
        _ scale: PriceScale, decimals: Int, plot: Rect, rect: Rect, into buffer: inout ScreenBuffer
    ) {
        for row in 0..<plot.height {
            buffer.set("│", row: plot.row + row, column: plot.right, role: .dim, clippedTo: rect)
        }
        for label in scale.labels() {
            let text = "┤" + DisplayFormat.fixed(label.price, decimals)
            buffer.put(text, row: plot.row + label.row, column: plot.right, role: .dim, clippedTo: rect)
        }
    }

    /// A one-line message centred in the rect, drawn only when it fits whole.
    private static func drawMessage(_ text: String, into buffer: inout ScreenBuffer, rect: Rect) {
        guard rect.width >= text.count else { return }
        let row = rect.row + (rect.height - 1) / 2
        buffer.put(text, row: row, column: rect.column + (rect.width - text.count) / 2, role: .dim, clippedTo: rect)
    }
}
