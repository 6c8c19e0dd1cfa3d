extension MarketState {
    /// The latest quote from every source for `symbol`, most preferred first.
    func quotesByPriority(_ symbol: Symbol) -> [Quote] {
        quoteBook.byPriority(symbol, priority: priority(of:))
    }

    /// Each source's quote with whether it may be shown now, and why not.
    func candidates(for symbol: Symbol, at now: Timestamp) -> [SourceSelector.Candidate] {
        quotesByPriority(symbol).map { quote in
            let entry = health[quote.source]
            let age = quote.age(at: now)
            var reason: String?
            if let entry, entry.state.isUnavailable {
                reason = "\(entry.state.rawValue)" + (entry.detail.map { ": \($0)" } ?? "")
            } else if let part = healthBook.unavailablePart(of: quote.source, for: symbol) {
                reason = part.clause  // only this part's symbols fail over; the rest of the source serves
            } else if freshness(of: symbol.assetClass, at: now).isStale(age: age) {
                reason = "stale \(age.ageText)"
            }
            return SourceSelector.Candidate(source: quote.source, quote: quote, usable: reason == nil, reason: reason)
        }
    }

    /// Re-decides the shown source and re-compares the sources for `symbols` (`SelectionBook`).
    /// Records (and returns) an anomaly for each disagreement that began.
    func reevaluate(_ symbols: some Sequence<Symbol>, at now: Timestamp) -> [Anomaly] {
        var began: [Anomaly] = []
        for symbol in symbols {
            guard let anomaly = selectionBook.reevaluate(symbol, candidates: candidates(for: symbol, at: now), at: now) else {
                continue
            }
            anomalyBook.record(anomaly)
            began.append(anomaly)
        }
        return began
    }

    /// Why the shown value is not fresh: each source's reason, or its age.
    func staleReason(for symbol: Symbol, at now: Timestamp) -> String? {
        let reasons = candidates(for: symbol, at: now).compactMap { c in c.reason.map { "\(c.source.label) \($0)" } }
        return reasons.isEmpty ? nil : "last known good; " + reasons.joined(separator: ", ")
    }
}
