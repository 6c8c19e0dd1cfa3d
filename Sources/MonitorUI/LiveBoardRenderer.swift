import Collector

/// Renders a snapshot into a screen: title, quote board, source health and
/// recent anomalies, with a key hint at the bottom. Pure: same input, same cells.
/// This is the first, single-panel board; panels, focus and themes grow here.
public struct LiveBoardRenderer: Sendable {
    public init() {}

    public func render(_ snapshot: MarketSnapshot, width: Int, height: Int) -> ScreenBuffer {
        var screen = ScreenBuffer(width: width, height: height)
        guard width >= 20, height >= 5 else {
            screen.put("terminal too small", row: 0, role: .warning)
            screen.put("need 20x5, have \(width)x\(height)", row: 1, role: .warning)
            return screen
        }
        let sources = snapshot.sources.map { "\($0.source.label) \($0.state.rawValue)" }.joined(separator: "  ")
        screen.put("ticktop  \(snapshot.takenAt.iso8601.prefix(19))Z  \(sources)", row: 0, role: .statusBar)
        screen.fill(row: 0, role: .statusBar)

        var row = 2
        let rows = QuoteBoardText.rows(snapshot)
        let board = QuoteBoardText.lines(snapshot)
        for (index, line) in board.enumerated() where row < height - 1 {
            let role: CellRole
            if index == 0 {
                role = .header
            } else {
                let quote = rows[index - 1]
                role = switch quote.quality {
                case .noData, .stale: .stale
                case .quarantined: .warning
                case .clean: quote.direction > 0 ? .up : quote.direction < 0 ? .down : .text
                }
            }
            screen.put(line, row: row, role: role)
            row += 1
        }
        row += 1
        for (index, line) in SourceHealthText.lines(snapshot).enumerated() where row < height - 1 {
            screen.put(line, row: row, role: index == 0 ? .header : .text)
            row += 1
        }
        row += 1
        if row < height - 1 {
            let header = "ANOMALIES  \(snapshot.anomalyCount) this run, \(snapshot.quarantinedCount) quarantined"
            screen.put(header, row: row, role: .header)
            row += 1
        }
        for anomaly in snapshot.recentAnomalies where row < height - 1 {
            let line = "\(anomaly.detectedAt.iso8601.dropFirst(11).prefix(8))  \(anomaly.symbol)  \(anomaly.source.label)  \(anomaly.rule): \(anomaly.message)"
            screen.put(line, row: row, role: anomaly.severity == .error ? .error : .warning)
            row += 1
        }
        screen.put("q quit", row: height - 1, role: .dim)
        return screen
    }
}
