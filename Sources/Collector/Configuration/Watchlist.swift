/// A named, ordered list of symbols (one entry of `[watchlists]`).
public struct Watchlist: Sendable, Equatable {
    public var name: String
    /// The symbols in the order the file lists them; never holds a duplicate.
    public var symbols: [Symbol]

    public init(name: String, symbols: [Symbol]) {
        self.name = name
        self.symbols = symbols
    }

    /// The spellings of the built-in `default` watchlist.
    static let defaultSymbolSpellings = ["AAPL", "MSFT", "NVDA", "BRK.B", "^GSPC", "EURUSD=X", "BTC-USD", "ETH-USD"]

    /// `default = ["AAPL", "MSFT", "NVDA", "BRK.B", "^GSPC", "EURUSD=X", "BTC-USD", "ETH-USD"]`.
    package static let defaultWatchlist = Watchlist(
        name: "default",
        symbols: defaultSymbolSpellings.compactMap { try? Symbol($0) }
    )
}
