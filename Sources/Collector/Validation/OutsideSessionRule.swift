/// A US-equity or index intraday bar that starts while the market is closed
/// (not pre-market, regular or after-hours): the bar claims a session that did
/// not happen. Uses `MarketSession` (holidays follow as it learns them).
/// Sources that trade around the clock (the simulated market, replays) always
/// count as open.
package struct OutsideSessionRule: StreamValidationRule {
    package let name = "bar-outside-session"
    package var kinds: Set<MarketEvent.Kind> { [.bar] }
    package var needs: ContextNeeds { .session }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        let facts = context.facts
        guard context.session == .closed, facts.isIntradayBar, facts.assetClass == .equity || facts.assetClass == .index,
            case .bar(let bar) = event
        else { return nil }
        return anomaly(
            event, .warning, [.init("start", bar.start.secondsSinceEpoch)],
            "\(bar.timeframe.rawValue) bar starts \(bar.start.iso8601), when the US market is closed", at: now)
    }
}
