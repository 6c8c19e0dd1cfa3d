import Collector

/// Everything the screen shows besides the market data itself: watchlists,
/// selection, mode, sorting, filter, pause, panels. A value; `reduce` is the
/// only way it changes, and it answers with effects for the outside world.
public struct ViewState: Sendable {
    public var watchlists: [Watchlist]
    public var activeWatchlist: Int
    /// Index of the selected row among `rows`.
    public var selection = 0
    /// First row shown on the board.
    public var scroll = 0
    public var mode: ViewMode = .board
    public var sort: SortColumn?
    public var sortDescending = false
    public var filter = ""
    /// While paused, the shown snapshot stays as it was.
    public var paused = false
    public var visiblePanels: Set<Panel> = [.board, .health, .alerts, .anomalies]
    public var focus: Panel = .board
    /// First line shown in each scrollable panel (alerts, anomalies).
    public var panelScroll: [Panel: Int] = [:]
    /// Index of the selected source in the SOURCES panel (j k while it has the focus; Enter opens it).
    public var sourceSelection = 0
    /// The rate-limit budget of the source in `.sourceDetail`, as last read.
    public var sourceBudget: (source: SourceID, status: RateLimiter.Status?)?
    public var detailTimeframe: Timeframe = .oneMinute
    public var chartMode: PriceChart.Mode = .candles
    public var detailBars: [Bar] = []
    public var snapshot: MarketSnapshot?
    /// Direction of each symbol's latest price move (-1, 0, +1), for colouring LAST.
    public var tickDirection: [Symbol: Int] = [:]
    public var themeName = "default"
    /// A one-line message in the status line (e.g. "added MSFT", an error).
    public var message: StatusMessage?
    /// Rows the board showed at the last layout; paging moves by this much.
    public var pageSize = 10
    /// Whether watchlist edits are saved (false for a `--symbols` session).
    public var persistsWatchlists = true
    /// The store banner in the title bar while writes fail (`StoreWriteText.banner`,
    /// e.g. "disk full since 14:02 UTC, 1,234 rows waiting"); nil once they work again.
    /// Set from each snapshot's `store` statistics.
    public var storeProblem: String?

    public struct StatusMessage: Hashable, Sendable {
        public var text: String
        public var isError: Bool
        public init(_ text: String, isError: Bool = false) {
            self.text = text
            self.isError = isError
        }
    }

    /// Timeframes the detail view cycles through.
    public static let detailTimeframes: [Timeframe] = [.oneMinute, .fiveMinutes, .oneDay]

    public init(watchlists: [Watchlist], active: Int = 0) {
        self.watchlists = watchlists.isEmpty ? [Watchlist(name: "default", symbols: [])] : watchlists
        activeWatchlist = min(max(active, 0), self.watchlists.count - 1)
    }

    public var currentWatchlist: Watchlist { watchlists[activeWatchlist] }

    /// The board's rows: the active watchlist's symbols with their data (a
    /// symbol without data yet gets an empty row), filtered, then sorted.
    public var rows: [SymbolSnapshot] {
        let known = Dictionary((snapshot?.symbols ?? []).map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
        var rows = currentWatchlist.symbols.map { known[$0] ?? SymbolSnapshot.empty($0) }
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
    public var selectedSource: SourceHealth? {
        guard let sources = snapshot?.sources, !sources.isEmpty else { return nil }
        return sources[min(max(sourceSelection, 0), sources.count - 1)]
    }

    /// The selected row's symbol, if any.
    public var selectedSymbol: Symbol? {
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
    public static func empty(_ symbol: Symbol) -> SymbolSnapshot {
        SymbolSnapshot(symbol: symbol)
    }
}
