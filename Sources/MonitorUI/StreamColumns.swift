import Collector

/// The live-stream columns of a source table (reconnects; coalesced/dropped values),
/// present only when some source runs a WebSocket stream, so tables without one keep
/// their width for the details.
struct StreamColumns {
    let shown: Bool

    init(_ snapshot: MarketSnapshot) {
        shown = snapshot.sources.contains { $0.stream != nil }
    }

    var columns: [TextTable.Column] {
        shown ? [.init("RECONN", .right), .init("COAL/DROP", .right)] : []
    }

    /// `-` for a source without a stream.
    func cells(_ health: SourceHealth) -> [String] {
        guard shown else { return [] }
        guard let stream = health.stream else { return ["-", "-"] }
        return ["\(stream.reconnects)", "\(stream.coalesced)/\(stream.dropped)"]
    }
}
