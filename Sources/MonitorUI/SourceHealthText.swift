import Collector

/// The source health table as text lines.
package enum SourceHealthText {
    package static func lines(_ snapshot: MarketSnapshot) -> [String] {
        let streams = StreamColumns(snapshot)
        let revisions = RevisionColumn(snapshot)
        var table = TextTable(
            columns: [
                .init("SOURCE"), .init("KIND"), .init("STATE"), .init("LATENCY", .right), .init("MSGS", .right),
                .init("ERRORS", .right)
            ] + streams.columns + revisions.columns + [.init("DELAY", .right), .init("LAST OK", .right), .init("DETAIL")])
        for h in snapshot.sources {
            table.append(
                [
                    h.source.label, h.kind, h.state.rawValue, DisplayFormat.milliseconds(h.latencyMilliseconds),
                    "\(h.messageCount)", "\(h.errorCount)"
                ] + streams.cells(h) + revisions.cells(h) + [
                    DisplayFormat.age(snapshot.feedDelay(of: h.source)),
                    h.lastSuccess.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-", h.detail ?? ""
                ])
        }
        return table.lines()
    }
}
