/// Source health: every fact goes to the one `HealthBook`; the transition it causes is handed
/// back to the caller (in the outcome of `apply`), never kept for later.
extension MarketState {
    /// Hands one health fact to the book; a source it did not know yet is shown last. Returns
    /// the transition of what the source shows, if the fact moved it.
    func applyHealth(_ fact: HealthFact) -> HealthTransition? {
        let moved = healthBook.reduce(fact, at: timeSource.now())
        for id in healthBook.sources.keys where priorities[id] == nil {
            priorities[id] = Int.max
            sourceOrder.append(id)
        }
        return moved
    }
}

extension MarketState {
    /// One source's health as the snapshot shows it, and the values quarantined so far, without
    /// building a snapshot (which builds every symbol's row): for counters read often.
    package func health(of source: SourceID) -> (health: SourceHealth?, quarantined: Int) {
        (healthBook.shown(source, at: timeSource.now()), anomalyBook.quarantinedCount)
    }
}
