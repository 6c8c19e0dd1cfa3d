import Collector

/// Stored bars as text for `ticktop history`: one row per bar, or with
/// `bySource` one row per bar start with each source's close side by side,
/// the spread between them in basis points, and a mark where they differ by
/// more than `tolerance` basis points (which source said what, and when).
public struct HistoryTable: Sendable {
    package var symbol: Symbol
    package var timeframe: Timeframe
    package var bars: [Bar]
    package var tolerance: Double

    public init(symbol: Symbol, timeframe: Timeframe, bars: [Bar], tolerance: Double = 50) {
        self.symbol = symbol
        self.timeframe = timeframe
        self.bars = bars
        self.tolerance = tolerance
    }

    /// Daily and longer bars show their date; shorter ones the UTC minute.
    func startText(_ start: Timestamp) -> String {
        let text = start.iso8601
        return timeframe >= .oneDay ? String(text.prefix(10)) : String(text.prefix(16)) + "Z"
    }

    public func lines(bySource: Bool) -> [String] {
        guard !bars.isEmpty else {
            return ["no stored \(timeframe.rawValue) bars for \(symbol) in that range"]
        }
        return bySource ? sourceLines() : barLines()
    }

    private func barLines() -> [String] {
        var table = TextTable(columns: [
            .init("START"), .init("SRC"), .init("OPEN", .right), .init("HIGH", .right), .init("LOW", .right),
            .init("CLOSE", .right), .init("VOLUME", .right)
        ])
        for bar in bars {
            let price = { DisplayFormat.price($0, assetClass: symbol.assetClass) }
            table.append([
                startText(bar.start), bar.source.label, price(bar.open), price(bar.high), price(bar.low), price(bar.close),
                DisplayFormat.volume(bar.volume)
            ])
        }
        return table.lines()
    }

    private func sourceLines() -> [String] {
        let sources = Array(Set(bars.map(\.source))).sorted { $0.rawValue < $1.rawValue }
        var byStart: [Timestamp: [SourceID: Bar]] = [:]
        for bar in bars { byStart[bar.start, default: [:]][bar.source] = bar }
        var table = TextTable(
            columns: [.init("START")] + sources.map { .init("\($0.label) CLOSE", .right) }
                + [.init("SPREAD", .right), .init("")])
        var disagreements = 0
        for start in byStart.keys.sorted() {
            let row = byStart[start] ?? [:]
            let closes = sources.map { row[$0]?.close }
            let present = closes.compactMap { $0 }
            var spread = "-"
            var mark =
                present.count < sources.count
                ? "missing from \(sources.filter { row[$0] == nil }.map(\.label).joined(separator: ","))" : ""
            if present.count >= 2, let low = present.min(), let high = present.max(), low > 0 {
                let bps = (high - low) / ((high + low) / 2) * 10_000
                spread = "\(DisplayFormat.fixed(bps, 1)) bps"
                if bps > tolerance {
                    mark = "DISAGREE" + (mark.isEmpty ? "" : "; " + mark)
                    disagreements += 1
                }
            }
            table.append(
                [startText(start)] + closes.map { $0.map { DisplayFormat.price($0, assetClass: symbol.assetClass) } ?? "-" }
                    + [spread, mark])
        }
        let summary =
            "\(byStart.count) bar starts from \(sources.count) sources"
            + (disagreements > 0 ? ", \(disagreements) differing by more than \(DisplayFormat.fixed(tolerance, 0)) bps" : "")
        return table.lines() + ["", summary]
    }
}
