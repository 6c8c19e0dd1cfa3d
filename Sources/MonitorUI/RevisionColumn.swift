import Collector

/// The column of a source table counting the stored bars each source revised this run,
/// present only when some source revised one, so tables without revisions keep their
/// width for the details.
struct RevisionColumn {
    let shown: Bool

    init(_ snapshot: MarketSnapshot) {
        shown = snapshot.sources.contains { $0.barsRevised > 0 }
    }

    var columns: [TextTable.Column] {
        shown ? [.init("REVISED", .right)] : []
    }

    func cells(_ health: SourceHealth) -> [String] {
        shown ? ["\(health.barsRevised)"] : []
    }
}
