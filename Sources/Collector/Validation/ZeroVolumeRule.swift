/// A US-equity intraday bar with zero volume although it starts in the regular
/// session: nothing traded in a minute of an open market is almost always a
/// placeholder bar, not a price. Pre- and after-hours bars may be empty.
/// Uses `MarketSession` (holidays follow as it learns them).
package struct ZeroVolumeRule: StreamValidationRule {
    package let name = "zero-volume"
    package var kinds: Set<MarketEvent.Kind> { [.bar] }
    package var needs: ContextNeeds { .session }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.volume == 0, context.facts.isIntradayBar, context.facts.assetClass == .equity,
            context.session == .open, case .bar(let bar) = event
        else { return nil }
        return anomaly(
            event, .warning, [.init("volume", bar.volume)],
            "zero volume in a \(bar.timeframe.rawValue) bar at \(bar.start.iso8601), in the regular session", at: now)
    }
}
