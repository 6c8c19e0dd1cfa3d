/// A live quote whose exchange time is far behind the time it was received:
/// an old price arriving as if new (ages on the board count from receipt).
/// Judged only while the symbol's market is open at receipt: when it is
/// closed, the last quote of the session is the right one to show.
package struct StaleQuoteRule: StreamValidationRule {
    package let name = "stale-quote"
    package var kinds: Set<MarketEvent.Kind> { [.quote] }
    package var needs: ContextNeeds { .session }
    /// The longest a quote may lag its receipt.
    package var maximumLag: Duration

    package init(maximumLag: Duration = .seconds(300)) {
        self.maximumLag = maximumLag
    }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.kind == .quote, context.origin == .live, context.session == .open else { return nil }
        let lag = context.facts.receivedAt - context.facts.time
        guard lag > maximumLag else { return nil }
        return anomaly(
            event, .warning, [.init("lagSeconds", lag.secondsValue), .init("limitSeconds", maximumLag.secondsValue)],
            "quote from \(context.facts.time.iso8601) arrived \(formatLag(lag)) later (limit \(formatLag(maximumLag))): stale",
            at: now)
    }
}
