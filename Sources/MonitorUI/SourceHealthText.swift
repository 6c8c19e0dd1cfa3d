import Collector

/// The source health table as text lines.
public enum SourceHealthText {
    public static func lines(_ snapshot: MarketSnapshot) -> [String] {
        var table = TextTable(columns: [
            .init("SOURCE"), .init("KIND"), .init("STATE"), .init("LATENCY", .right), .init("MSGS", .right),
            .init("ERRORS", .right), .init("LAST OK", .right), .init("DETAIL"),
        ])
        for h in snapshot.sources {
            table.append([
                h.source.label, h.kind, h.state.rawValue, DisplayFormat.milliseconds(h.latencyMilliseconds),
                "\(h.messageCount)", "\(h.errorCount)",
                h.lastSuccess.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-", h.detail ?? "",
            ])
        }
        return table.lines()
    }
}
