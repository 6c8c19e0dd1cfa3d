import Collector

/// The detail view's table of the last bars, newest first.
package enum BarTable {
    package static let columns: [TextTable.Column] = [
        .init("TIME"), .init("OPEN", .right), .init("HIGH", .right), .init("LOW", .right), .init("CLOSE", .right),
        .init("VOLUME", .right)
    ]

    /// The header and the last `limit` bars (given oldest first) newest first, in aligned
    /// columns; times are UTC bar starts (`YYYY-MM-DD HH:MM`, or the date for daily and above).
    package static func lines(_ bars: [Bar], limit: Int, assetClass: AssetClass?) -> [String] {
        var table = TextTable(columns: columns)
        for bar in bars.suffix(max(0, limit)).reversed() {
            table.append([
                ChartTime.tableLabel(bar.start, timeframe: bar.timeframe),
                DisplayFormat.price(bar.open, assetClass: assetClass),
                DisplayFormat.price(bar.high, assetClass: assetClass),
                DisplayFormat.price(bar.low, assetClass: assetClass),
                DisplayFormat.price(bar.close, assetClass: assetClass),
                DisplayFormat.volume(bar.volume)
            ])
        }
        return table.lines()
    }
}
