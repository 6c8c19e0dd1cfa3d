import Collector

/// What `ticktop db check` prints: the file's integrity, its schema, rows per table, and for each
/// stored symbol and timeframe the range held and the gaps in it against the market calendar.
public struct DatabaseCheckReport: Sendable {
    /// The exit status when the file is sound but stored history has gaps.
    public static let exitGaps = OnceVerdict.exitIncomplete
    /// Gaps listed per series; the rest are counted.
    static let gapsShown = 5

    package let path: String
    package let health: DatabaseFile.Health
    /// Per series (in `health.series` order), its gaps between its first and last stored bar.
    package let gaps: [[BarGap]]

    public init(path: String, health: DatabaseFile.Health, finder: GapFinder) {
        self.path = path
        self.health = health
        gaps = health.series.map { series in
            guard let symbol = try? Symbol(series.symbol), let timeframe = Timeframe(parsing: series.timeframe),
                GapFinder.supports(timeframe)
            else { return [] }
            let expected = finder.expectedStarts(symbol.assetClass, timeframe, in: series.first...series.last)
            return finder.gaps(expected: expected, stored: Set(series.starts))
        }
    }

    public var hasGaps: Bool { gaps.contains { !$0.isEmpty } }

    public func lines() -> [String] {
        var lines = ["database \(path)"]
        lines.append(health.isIntact ? "integrity: ok" : "integrity: FAILED")
        if !health.isIntact { lines += health.integrity.prefix(10).map { "  \($0)" } }
        lines.append("schema: \(health.migrations.joined(separator: ", "))")
        lines.append("rows: " + health.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        guard !health.series.isEmpty else { return lines + ["history: no bars stored"] }
        var table = TextTable(columns: [
            .init("SYMBOL"), .init("TIMEFRAME"), .init("BARS", .right), .init("FIRST"), .init("LAST"), .init("GAPS")
        ])
        for (series, gaps) in zip(health.series, gaps) {
            let missing = gaps.reduce(0) { $0 + $1.missingBars }
            table.append([
                series.symbol, series.timeframe, "\(series.bars)", series.first.rfc3339Seconds, series.last.rfc3339Seconds,
                gaps.isEmpty ? "none" : "\(gaps.count) (\(missing) bars)"
            ])
        }
        lines += ["history:"] + table.lines()
        for (series, gaps) in zip(health.series, gaps) where !gaps.isEmpty {
            lines.append("gaps in \(series.symbol) \(series.timeframe):")
            lines += gaps.prefix(Self.gapsShown).map { "  \($0)" }
            if gaps.count > Self.gapsShown { lines.append("  and \(gaps.count - Self.gapsShown) more") }
        }
        return lines
    }
}
