/// The latest quote per symbol per source, and each source's latest previous-close field.
/// Pure value: `MarketState` owns one.
package struct QuoteBook: Sendable {
    /// One symbol's latest quotes and reported closes, kept together: a quote costs one look-up
    /// of its symbol (the hot path's dictionaries are keyed by symbol, and each look-up hashes it).
    package struct Entry: Sendable {
        /// The latest quote per source.
        package fileprivate(set) var bySource = SourceMap<Quote>()
        /// Each source's latest previous-close field, kept apart from its quotes (a stream trade
        /// without the field does not erase the one its REST quote carried).
        package fileprivate(set) var reportedCloses = SourceMap<ReportedPreviousClose>()
        /// Moves on when `reportedCloses` change (a repeated field changes nothing).
        package fileprivate(set) var closesRevision: UInt64 = 0

        /// The latest quote when exactly one source has quoted the symbol.
        package var onlyQuote: Quote? { bySource.only }
    }

    /// Every symbol some source has quoted (an entry is made by its first quote, which it holds).
    package private(set) var entries: [Symbol: Entry] = [:]
    /// Decides the session a quote's previous-close field belongs to.
    package let previousCloseRule: PreviousCloseRule

    package init(previousCloseRule: PreviousCloseRule) {
        self.previousCloseRule = previousCloseRule
    }

    /// Holds `quote` as its source's latest for the symbol and returns true, unless the held one
    /// is newer: a value older than the source's latest came by a slower path (a poll behind its
    /// stream), so it does not replace it. Its previous-close field is remembered either way.
    package mutating func insert(_ quote: Quote) -> Bool {
        Self.insert(quote, into: &entries[quote.symbol, default: Entry()], rule: previousCloseRule)  // one look-up
    }

    private static func insert(_ quote: Quote, into entry: inout Entry, rule: PreviousCloseRule) -> Bool {
        remember(previousCloseOf: quote, in: &entry, rule: rule)
        guard let index = entry.bySource.index(of: quote.source) else {
            entry.bySource.append(quote, for: quote.source)
            return true
        }
        if entry.bySource[at: index].exchangeTime > quote.exchangeTime { return false }
        entry.bySource[at: index] = quote
        return true
    }

    /// The symbols some source has quoted.
    package var symbols: Dictionary<Symbol, Entry>.Keys { entries.keys }

    /// The latest quote from `source` for `symbol`.
    package func quote(_ symbol: Symbol, from source: SourceID) -> Quote? { entries[symbol]?.bySource[source] }

    /// The latest quote from every source for `symbol`, most preferred first (ties by source id).
    package func byPriority(_ symbol: Symbol, priority: (SourceID) -> Int) -> [Quote] {
        guard let bySource = entries[symbol]?.bySource else { return [] }
        if let only = bySource.only { return [only] }  // the usual case: nothing to sort
        return bySource.values.sorted { (priority($0.source), $0.source) < (priority($1.source), $1.source) }
    }

    /// The latest quote for `symbol` when exactly one source has quoted it.
    package func onlyQuote(_ symbol: Symbol) -> Quote? { entries[symbol]?.onlyQuote }

    /// When the newest value for `symbol` arrived, from any source.
    package func lastReceived(_ symbol: Symbol) -> Timestamp? { entries[symbol]?.bySource.values.map(\.receivedAt).max() }

    /// Each source's latest previous-close field for `symbol`.
    package func reportedCloses(of symbol: Symbol) -> [SourceID: ReportedPreviousClose] {
        entries[symbol]?.reportedCloses.dictionary ?? [:]
    }

    /// Keeps a quote's previous-close field unless the source already gave one for a later session.
    private static func remember(previousCloseOf quote: Quote, in entry: inout Entry, rule: PreviousCloseRule) {
        guard let close = quote.previousClose, close > 0 else { return }
        let session = rule.session(of: quote.symbol.assetClass, at: quote.exchangeTime)
        let field = ReportedPreviousClose(close: close, quoteSession: session)
        if let index = entry.reportedCloses.index(of: quote.source) {
            let held = entry.reportedCloses[at: index]
            if held.quoteSession > session || held == field { return }
            entry.reportedCloses[at: index] = field
        } else {
            entry.reportedCloses.append(field, for: quote.source)
        }
        entry.closesRevision &+= 1
    }

    /// The revision of `symbol`'s reported closes (`Entry.closesRevision`); 0 before any.
    package func closesRevision(of symbol: Symbol) -> UInt64 { entries[symbol]?.closesRevision ?? 0 }
}
