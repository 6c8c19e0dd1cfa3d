import Collector

/// Everything the screen shows besides the market data itself: watchlists,
/// selection, mode, sorting, filter, pause, panels. A value; `reduce` is the
/// only way it changes, and it answers with effects for the outside world.
public struct ViewState: Sendable {
    package var watchlists: [Watchlist]
    package var activeWatchlist: Int
    /// Index of the selected row among `rows`.
    package var selection = 0
    /// First row shown on the board.
    package var scroll = 0
    package var mode: ViewMode = .board
    package var sort: SortColumn?
    package var sortDescending = false
    package var filter = ""
    /// While paused, the shown snapshot stays as it was.
    package var paused = false
    package var visiblePanels: Set<Panel> = [.board, .health, .alerts, .anomalies]
    package var focus: Panel = .board
    /// First line shown in each scrollable panel (alerts, anomalies).
    package var panelScroll: [Panel: Int] = [:]
    /// Index of the selected source in the SOURCES panel (j k while it has the focus; Enter opens it).
    package var sourceSelection = 0
    /// The rate-limit budget of the source in `.sourceDetail`, as last read.
    package var sourceBudget: (source: SourceID, status: RateLimiter.Status?)?
    package var detailTimeframe: Timeframe = .oneMinute
    package var chartMode: PriceChart.Mode = .candles
    package var detailBars: [Bar] = []
    package var snapshot: MarketSnapshot?
    /// Direction of each symbol's latest price move (-1, 0, +1), for colouring LAST.
    package var tickDirection: [Symbol: Int] = [:]
    public var themeName = "default"
    /// A one-line message in the status line (e.g. "added MSFT", an error).
    public var message: StatusMessage?
    /// Rows the board showed at the last layout; paging moves by this much.
    package var pageSize = 10
    /// Whether watchlist edits are saved (false for a `--symbols` session).
    public var persistsWatchlists = true
    /// The store banner in the title bar while writes fail (`StoreWriteText.banner`,
    /// e.g. "disk full since 14:02 UTC, 1,234 rows waiting"); nil once they work again.
    /// Set from each snapshot's `store` statistics.
    package var storeProblem: String?

    public struct StatusMessage: Hashable, Sendable {
        package var text: String
        package var isError: Bool
        public init(_ text: String, isError: Bool = false) {
            self.text = text
            self.isError = isError
        }
    }

    /// Timeframes the detail view cycles through.
    package static let detailTimeframes: [Timeframe] = [.oneMinute, .fiveMinutes, .oneDay]

    public init(watchlists: [Watchlist], active: Int = 0) {
        self.watchlists = watchlists.isEmpty ? [Watchlist(name: "default", symbols: [])] : watchlists
        activeWatchlist = min(max(active, 0), self.watchlists.count - 1)
    }

    package var currentWatchlist: Watchlist { watchlists[activeWatchlist] }

    /// The board's rows: the active watchlist's symbols with their data (a
    /// symbol without data yet gets an empty row), filtered, then sorted.
    package var rows: [SymbolSnapshot] {
        let symbols = currentWatchlist.symbols
        let taken = snapshot?.symbols ?? []
        var rows: [SymbolSnapshot]
        if taken.count == symbols.count && zip(taken, symbols).allSatisfy({ $0.symbol == $1 }) {
            rows = taken  // the state's snapshot follows the watchlist: no lookup needed
        } else {
            let known = Dictionary(taken.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
            rows = symbols.map { known[$0] ?? SymbolSnapshot.empty($0) }
        }
        if !filter.isEmpty {
            let needle = filter.uppercased()
            rows = rows.filter { $0.symbol.rawValue.contains(needle) }
        }
        if let sort {
            let now = snapshot?.takenAt ?? .zero
            rows.sort { a, b in
                let ordered = Self.ascending(a, b, by: sort, at: now)
                return sortDescending ? Self.ascending(b, a, by: sort, at: now) : ordered
            }
        }
        return rows
    }

    /// The source selected in the SOURCES panel, if any.
    package var selectedSource: SourceHealth? {
        guard let sources = snapshot?.sources, !sources.isEmpty else { return nil }
        return sources[min(max(sourceSelection, 0), sources.count - 1)]
    }

    /// The selected row's symbol, if any.
    package var selectedSymbol: Symbol? {
        let rows = rows
        return rows.indices.contains(selection) ? rows[selection].symbol : nil
    }

    /// Missing values sort last in both directions' base order.
    static func ascending(_ a: SymbolSnapshot, _ b: SymbolSnapshot, by column: SortColumn, at now: Timestamp) -> Bool {
        func compare(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (let x?, let y?): x == y ? a.symbol < b.symbol : x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.symbol < b.symbol
            }
        }
        switch column {
        case .symbol: return a.symbol < b.symbol
        case .last: return compare(a.price, b.price)
        case .changePercent: return compare(a.changePercent, b.changePercent)
        case .volume: return compare(a.dayVolume, b.dayVolume)
        case .age: return compare(a.age(at: now)?.secondsValue, b.age(at: now)?.secondsValue)
        }
    }

    /// Keeps the selection inside the rows and visible on the board.
    mutating func clampSelection() {
        let count = rows.count
        selection = count == 0 ? 0 : min(max(selection, 0), count - 1)
        let page = max(pageSize, 1)
        if selection < scroll { scroll = selection }
        if selection >= scroll + page { scroll = selection - page + 1 }
        scroll = max(0, min(scroll, max(count - page, 0)))
    }
}

extension SymbolSnapshot {
    /// A row for a symbol no source has delivered yet.
    package static func empty(_ symbol: Symbol) -> SymbolSnapshot {
        SymbolSnapshot(symbol: symbol)
    }
}
