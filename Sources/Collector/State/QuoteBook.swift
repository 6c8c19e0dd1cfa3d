/// The latest quote per symbol per source, and each source's latest previous-close field.
/// Pure value: `MarketState` owns one.
package struct QuoteBook: Sendable {
    package private(set) var quotes: [Symbol: [SourceID: Quote]] = [:]
    /// Each source's latest previous-close field per symbol, kept apart from its quotes (a stream
    /// trade without the field does not erase the one its REST quote carried).
    package private(set) var reportedCloses: [Symbol: [SourceID: ReportedPreviousClose]] = [:]
    /// Moves on when a symbol's `reportedCloses` change (a repeated field changes nothing).
    package private(set) var closesRevisions: [Symbol: UInt64] = [:]
    /// Decides the session a quote's previous-close field belongs to.
    package let previousCloseRule: PreviousCloseRule

    package init(previousCloseRule: PreviousCloseRule) {
        self.previousCloseRule = previousCloseRule
    }

    /// Holds `quote` as its source's latest for the symbol and returns true, unless the held one
    /// is newer: a value older than the source's latest came by a slower path (a poll behind its
    /// stream), so it does not replace it. Its previous-close field is remembered either way.
    package mutating func insert(_ quote: Quote) -> Bool {
        remember(previousCloseOf: quote)
        return Self.hold(quote, in: &quotes[quote.symbol, default: [:]])  // one look-up of the symbol
    }

    private static func hold(_ quote: Quote, in bySource: inout [SourceID: Quote]) -> Bool {
        if let held = bySource[quote.source], held.exchangeTime > quote.exchangeTime { return false }
        bySource[quote.source] = quote
        return true
    }

    /// The symbols some source has quoted.
    package var symbols: Dictionary<Symbol, [SourceID: Quote]>.Keys { quotes.keys }

    /// The latest quote from `source` for `symbol`.
    package func quote(_ symbol: Symbol, from source: SourceID) -> Quote? { quotes[symbol]?[source] }

    /// The latest quote from every source for `symbol`, most preferred first (ties by source id).
    package func byPriority(_ symbol: Symbol, priority: (SourceID) -> Int) -> [Quote] {
        guard let bySource = quotes[symbol] else { return [] }
        if bySource.count == 1, let only = bySource.first { return [only.value] }  // the usual case: nothing to sort
        return bySource.values.sorted { (priority($0.source), $0.source) < (priority($1.source), $1.source) }
    }

    /// The latest quote for `symbol` when exactly one source has quoted it.
    package func onlyQuote(_ symbol: Symbol) -> Quote? {
        guard let bySource = quotes[symbol], bySource.count == 1 else { return nil }
        return bySource.first?.value
    }

    /// When the newest value for `symbol` arrived, from any source.
    package func lastReceived(_ symbol: Symbol) -> Timestamp? { quotes[symbol]?.values.map(\.receivedAt).max() }

    /// Keeps a quote's previous-close field unless the source already gave one for a later session.
    mutating func remember(previousCloseOf quote: Quote) {
        guard let close = quote.previousClose, close > 0 else { return }
        let session = previousCloseRule.session(of: quote.symbol.assetClass, at: quote.exchangeTime)
        let field = ReportedPreviousClose(close: close, quoteSession: session)
        if let held = reportedCloses[quote.symbol]?[quote.source], held.quoteSession > session || held == field { return }
        reportedCloses[quote.symbol, default: [:]][quote.source] = field
        closesRevisions[quote.symbol, default: 0] &+= 1
    }

    /// The revision of `symbol`'s reported closes (see `closesRevisions`); 0 before any.
    package func closesRevision(of symbol: Symbol) -> UInt64 { closesRevisions[symbol] ?? 0 }
}
