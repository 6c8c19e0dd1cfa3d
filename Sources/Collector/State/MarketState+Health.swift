/// Source health: every fact goes to the one `HealthBook`; transitions wait for `tick()`.
extension MarketState {
    /// Hands one health fact to the book; a source it did not know yet is shown last.
    func applyHealth(_ event: HealthFact) {
        let moved = healthBook.reduce(event, at: timeSource.now())
        for id in healthBook.sources.keys where priorities[id] == nil {
            priorities[id] = Int.max
            sourceOrder.append(id)
        }
        if let moved { queue(moved) }
    }

    /// Keeps a transition for the alert monitor to log and store (see `tick()`).
    func queue(_ transition: HealthTransition) {
        if pendingTransitions.count >= Self.pendingTransitionLimit { pendingTransitions.removeFirst() }
        pendingTransitions.append(transition)
    }
}
