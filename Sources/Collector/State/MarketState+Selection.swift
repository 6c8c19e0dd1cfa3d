extension MarketState {
    /// The latest quote from every source for `symbol`, most preferred first.
    func quotesByPriority(_ symbol: Symbol) -> [Quote] {
        quoteBook.byPriority(symbol, priority: priority(of:))
    }

    /// Each source's quote with whether it may be shown now, and why not.
    func candidates(for symbol: Symbol, at now: Timestamp) -> [SourceSelector.Candidate] {
        quotesByPriority(symbol).map { quote in
            let reason = unusableReason(of: quote, at: now)
            return SourceSelector.Candidate(source: quote.source, quote: quote, usable: reason == nil, reason: reason)
        }
    }

    /// Why `quote` may not be shown now (its source down, the part serving its symbol down, or
    /// stale), or nil when it may.
    func unusableReason(of quote: Quote, at now: Timestamp) -> String? {
        let symbol = quote.symbol
        if let entry = health[quote.source], entry.state.isUnavailable {
            return "\(entry.state.rawValue)" + (entry.detail.map { ": \($0)" } ?? "")
        } else if let part = healthBook.unavailablePart(of: quote.source, for: symbol) {
            return part.clause  // only this part's symbols fail over; the rest of the source serves
        }
        return isStale(quote, at: now) ? "stale \(quote.age(at: now).ageText)" : nil
    }

    /// Whether `quote` is too old to show now, by its market's threshold.
    func isStale(_ quote: Quote, at now: Timestamp) -> Bool {
        freshness(of: quote.symbol.assetClass, at: now).isStale(age: quote.age(at: now))
    }

    /// Re-decides the shown source and re-compares the sources for `symbols` (`SelectionBook`).
    /// Records (and returns) an anomaly for each disagreement that began. A symbol quoted by one
    /// source only, still usable and already settled on it, is skipped: re-deciding it would
    /// change nothing (`SelectionBook.isSettled`), and it is the usual case for every quote.
    /// Whether that source serves every symbol is asked once per call, not per symbol.
    func reevaluate(_ symbols: some Sequence<Symbol>, at now: Timestamp) -> [Anomaly] {
        var pass = Reevaluation()
        for symbol in symbols { reevaluate(symbol, only: quoteBook.onlyQuote(symbol), at: now, in: &pass) }
        return pass.began
    }

    /// `reevaluate` of every quoted symbol, read from the quote book's entries as they are (no
    /// look-up of each symbol's quotes).
    func reevaluateEverySymbol(at now: Timestamp) -> [Anomaly] {
        var pass = Reevaluation()
        for (symbol, entry) in quoteBook.entries { reevaluate(symbol, only: entry.onlyQuote, at: now, in: &pass) }
        return pass.began
    }

    /// What one `reevaluate` call carries from symbol to symbol.
    private struct Reevaluation {
        var began: [Anomaly] = []
        var serving: (source: SourceID, everySymbol: Bool)?
    }

    /// One symbol of `reevaluate`, with its only quote (nil when none or several sources quoted it).
    private func reevaluate(_ symbol: Symbol, only: Quote?, at now: Timestamp, in pass: inout Reevaluation) {
        if let only, selectionBook.isSettled(symbol, on: only.source) {
            if pass.serving?.source != only.source { pass.serving = (only.source, healthBook.servesEverySymbol(only.source)) }
            let usable = pass.serving?.everySymbol == true ? !isStale(only, at: now) : unusableReason(of: only, at: now) == nil
            if usable { return }
        }
        guard let anomaly = selectionBook.reevaluate(symbol, candidates: candidates(for: symbol, at: now), at: now) else {
            return
        }
        anomalyBook.record(anomaly)
        pass.began.append(anomaly)
    }

    /// Why the shown value is not fresh: each source's reason, or its age.
    func staleReason(for symbol: Symbol, at now: Timestamp) -> String? {
        let reasons = candidates(for: symbol, at: now).compactMap { c in c.reason.map { "\(c.source.label) \($0)" } }
        return reasons.isEmpty ? nil : "last known good; " + reasons.joined(separator: ", ")
    }
}
