extension StoreBatch {
    /// The quotes a write upserts: per (symbol, source), the one the latest-quote rule keeps
    /// (a stored quote is replaced unless it was received later), which is the last of those
    /// received latest. Writing only these stores exactly what writing every quote in order
    /// would, with one upsert per symbol and source instead of one per quote (a write merges
    /// several ingest batches, each with the same symbols). In order of each key's first quote.
    package var newestQuotes: [Quote] {
        guard quotes.count > 1 else { return quotes }
        var newest: [Quote] = []
        newest.reserveCapacity(quotes.count)
        var index: [LatestQuoteKey: Int] = [:]
        index.reserveCapacity(quotes.count)
        for quote in quotes {
            let key = LatestQuoteKey(symbol: quote.symbol, source: quote.source)
            if let at = index[key] {
                if quote.receivedAt >= newest[at].receivedAt { newest[at] = quote }
            } else {
                index[key] = newest.count
                newest.append(quote)
            }
        }
        return newest
    }
}

/// The key of a stored latest quote (`latest_quotes`: one row per symbol and source).
package struct LatestQuoteKey: Hashable, Sendable {
    package var symbol: Symbol
    package var source: SourceID

    package init(symbol: Symbol, source: SourceID) {
        self.symbol = symbol
        self.source = source
    }
}
