/// What a terminal following a shared store shows (`StoreFollower`): the rows collectors stored,
/// applied as one generation. Nothing is validated again and no anomaly is derived here (the
/// collectors stored theirs); the selection, freshness and ages are this state's own, measured at
/// each snapshot, so a value stops looking live as it ages whatever the store still holds.
extension MarketState {
    /// Applies stored quotes, bars, anomalies and each source's newest stored health transition.
    package func showStored(
        quotes: [Quote], bars: [Bar], anomalies: [Anomaly], health: [HealthTransition]
    ) {
        guard !(quotes.isEmpty && bars.isEmpty && anomalies.isEmpty && health.isEmpty) else { return }  // no new generation
        let now = timeSource.now()
        for transition in health.sorted(by: { $0.at < $1.at }) {
            let kind = healthBook.sources[transition.source]?.kind ?? "unknown"
            healthBook.configure(transition.source, kind: kind, state: transition.to, detail: transition.detail, at: transition.at)
            if priorities[transition.source] == nil {
                priorities[transition.source] = Int.max
                sourceOrder.append(transition.source)
            }
        }
        var touched: Set<Symbol> = []
        for quote in quotes where quoteBook.insert(quote) {
            healthBook.received(quote.symbol, from: quote.source)
            touched.insert(quote.symbol)
        }
        for bar in bars { barBook.insert(bar) }
        for anomaly in anomalies { anomalyBook.record(anomaly) }
        // A source's state moved: any symbol's shown source may change. The disagreements the
        // selection finds are the collectors' (stored as their anomalies), so none is recorded here.
        let symbols = health.isEmpty ? touched : Set(quoteBook.symbols)
        for symbol in symbols {
            _ = selectionBook.reevaluate(symbol, candidates: candidates(for: symbol, at: now), at: now)
        }
        advance()
    }
}
