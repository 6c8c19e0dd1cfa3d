import Collector

extension MarketSnapshot {
    /// The median feed delay (receipt minus exchange time) of `source`'s latest quotes across
    /// symbols, nil without any: a delayed plan's lag, as the SOURCES panel, the `--once` text
    /// and JSON show it.
    func feedDelay(of source: SourceID) -> Duration? {
        let delays = symbols.flatMap(\.quotes).filter { $0.source == source }.map(\.feedDelay).sorted()
        return delays.isEmpty ? nil : delays[delays.count / 2]
    }
}
