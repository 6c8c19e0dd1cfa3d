import Collector

extension ViewState {
    /// Applies one event and returns what the outside world must do.
    public mutating func reduce(_ event: UIEvent) -> [Effect] {
        switch event {
        case .snapshot(let snapshot):
            // The store banner follows the writes even while paused.
            if let writes = snapshot.store { storeProblem = StoreWriteText.banner(writes) }
            if let follow = snapshot.follow { storeProblem = StoreFollowText.banner(follow) }
            guard !paused || self.snapshot == nil else { return [] }
            noteTicks(from: self.snapshot, to: snapshot)
            self.snapshot = snapshot
            clampSelection()
            sourceSelection = min(sourceSelection, max(snapshot.sources.count - 1, 0))
            // The budget changes with every request: read again with each snapshot while shown.
            if case .sourceDetail(let source) = mode { return [.loadBudget(source)] }
            return []
        case .budget(let source, let status):
            if case .sourceDetail(source) = mode { sourceBudget = (source, status) }
            return []
        case .bars(let symbol, let timeframe, let bars):
            if case .detail(symbol) = mode, timeframe == detailTimeframe { detailBars = bars }
            return []
        case .pageSize(let rows):
            pageSize = max(rows, 1)
            clampSelection()
            return []
        case .theme(let name):
            themeName = name
            message = StatusMessage("theme: \(name)")
            return []
        case .key(let key):
            switch mode {
            case .board: return boardKey(key)
            case .detail(let symbol): return detailKey(key, symbol)
            case .sourceDetail(let source): return sourceDetailKey(key, source)
            case .help: return helpKey(key)
            case .input(let input): return inputKey(key, input)
            case .confirmDelete(let symbol): return confirmKey(key, symbol)
            }
        }
    }

    /// Every binding, for the help overlay; reducer tests check each one.
    package static let keyBindings: [(keys: String, action: String)] = [
        ("j k  ↓ ↑", "move the selection"),
        ("PgDn PgUp", "page down / up"),
        ("g G  Home End", "first / last row"),
        ("Enter", "detail view of the selected symbol"),
        ("Esc", "back / cancel"),
        ("a", "add a symbol to this watchlist"),
        ("d", "delete the selected symbol (asks first)"),
        ("J K", "move the selected symbol down / up"),
        ("Tab  [ ]", "next / previous watchlist"),
        ("1 … 9", "go to watchlist 1 to 9"),
        ("n", "new watchlist"),
        ("R", "rename this watchlist"),
        ("s S", "cycle the sort column / reverse it"),
        ("/", "filter symbols (Esc clears)"),
        ("r", "refresh now"),
        ("p", "pause / resume updates"),
        ("t", "next theme"),
        ("h e x", "show / hide the health, alerts, anomalies panels"),
        ("f", "focus the next panel (j k scroll it)"),
        ("Enter", "detail of the selected source (sources focused)"),
        ("c", "detail: candles / line chart"),
        ("[ ]", "detail: previous / next timeframe"),
        ("?", "this help"),
        ("q  Ctrl-C", "quit")
    ]

    /// Records which way each symbol's price last moved (kept while it does not move).
    /// Each symbol is found in `old` at its own position (snapshots follow the watchlist), else
    /// by name (a dictionary made once, not a search per symbol: 200 symbols 4 times a second).
    private mutating func noteTicks(from old: MarketSnapshot?, to new: MarketSnapshot) {
        guard let old else { return }
        let previous = old.symbols
        let rows = new.symbols
        var positions: [Symbol: Int]?
        for index in rows.indices {  // rows read in place: a row is a large value to copy
            guard let price = rows[index].price else { continue }
            let symbol = rows[index].symbol
            let at: Int?
            if index < previous.count && previous[index].symbol == symbol {
                at = index
            } else {
                if positions == nil {
                    positions = Dictionary(
                        previous.indices.map { (previous[$0].symbol, $0) }, uniquingKeysWith: { first, _ in first })
                }
                at = positions?[symbol]
            }
            guard let at, let before = previous[at].price, price != before else { continue }
            tickDirection[symbol] = price > before ? 1 : -1
        }
    }

    // MARK: - Board

    private mutating func boardKey(_ key: KeyPress) -> [Effect] {
        message = nil
        if focus != .board, let effects = panelKey(key) { return effects }
        switch key {
        case .down, .character("j"): move(by: 1)
        case .up, .character("k"): move(by: -1)
        case .pageDown: move(by: pageSize)
        case .pageUp: move(by: -pageSize)
        case .home, .character("g"): move(by: -rows.count)
        case .end, .character("G"): move(by: rows.count)
        case .enter:
            guard let symbol = selectedSymbol else { return [] }
            mode = .detail(symbol)
            detailBars = []
            return [.loadBars(symbol, detailTimeframe)]
        case .escape:
            if !filter.isEmpty {
                filter = ""
                clampSelection()
            }
        case .character("a"): mode = .input(TextInput(.addSymbol))
        case .character("d"):
            if let symbol = selectedSymbol { mode = .confirmDelete(symbol) }
        case .character("J"): return moveSelectedSymbol(by: 1)
        case .character("K"): return moveSelectedSymbol(by: -1)
        case .tab, .character("]"): return switchWatchlist(to: (activeWatchlist + 1) % watchlists.count)
        case .backTab, .character("["): return switchWatchlist(to: (activeWatchlist + watchlists.count - 1) % watchlists.count)
        case .character(let c) where c.isASCII && ("1"..."9").contains(c):
            let index = (c.wholeNumberValue ?? 1) - 1
            guard index < watchlists.count else {
                message = StatusMessage("there is no watchlist \(index + 1) (\(watchlists.count) defined)", isError: true)
                return []
            }
            return switchWatchlist(to: index)
        case .character("n"): mode = .input(TextInput(.newWatchlist))
        case .character("R"): mode = .input(TextInput(.renameWatchlist, text: currentWatchlist.name))
        case .character("s"): cycleSort()
        case .character("S"):
            sortDescending.toggle()
            message = StatusMessage(sort == nil ? "no sort column: press s first" : "sort reversed")
        case .character("/"): mode = .input(TextInput(.filter, text: filter))
        case .character("r"): return [.refresh]
        case .character("p"):
            paused.toggle()
            message = StatusMessage(paused ? "paused: the screen keeps this snapshot (p resumes)" : "resumed")
        case .character("t"): return [.nextTheme]
        case .character("h"): toggle(.health)
        case .character("e"): toggle(.alerts)
        case .character("x"): toggle(.anomalies)
        case .character("f"): focusNext()
        case .character("?"): mode = .help
        case .character("q"): return [.quit]
        default: break
        }
        return []
    }

    private mutating func move(by delta: Int) {
        selection += delta
        clampSelection()
    }

    private mutating func cycleSort() {
        let all: [SortColumn?] = [nil] + SortColumn.allCases
        let index = all.firstIndex(of: sort) ?? 0
        sort = all[(index + 1) % all.count]
        message = StatusMessage(sort.map { "sorted by \($0.rawValue)" } ?? "watchlist order")
        clampSelection()
    }

    private mutating func toggle(_ panel: Panel) {
        if visiblePanels.contains(panel) {
            visiblePanels.remove(panel)
            if focus == panel { focus = .board }
        } else {
            visiblePanels.insert(panel)
        }
    }

    private mutating func focusNext() {
        let order = Panel.allCases.filter(visiblePanels.contains)
        let index = order.firstIndex(of: focus) ?? 0
        focus = order[(index + 1) % order.count]
        message = StatusMessage("focus: \(focus.rawValue)")
    }

    /// j/k/g/Esc scroll or leave a focused side panel (in SOURCES j/k/g select a source and
    /// Enter opens it); nil lets the board handle the key.
    private mutating func panelKey(_ key: KeyPress) -> [Effect]? {
        if focus == .health, let effects = sourcesKey(key) { return effects }
        switch key {
        case .down, .character("j"): panelScroll[focus, default: 0] += 1
        case .up, .character("k"): panelScroll[focus] = max(0, (panelScroll[focus] ?? 0) - 1)
        case .home, .character("g"): panelScroll[focus] = 0
        case .escape: focus = .board
        default: return nil
        }
        return []
    }

    /// Selecting and opening a source in the focused SOURCES panel; nil for other keys.
    private mutating func sourcesKey(_ key: KeyPress) -> [Effect]? {
        let last = max((snapshot?.sources.count ?? 0) - 1, 0)
        switch key {
        case .down, .character("j"): sourceSelection = min(sourceSelection + 1, last)
        case .up, .character("k"): sourceSelection = max(sourceSelection - 1, 0)
        case .home, .character("g"): sourceSelection = 0
        case .end, .character("G"): sourceSelection = last
        case .enter:
            guard let source = selectedSource?.source else { return [] }
            mode = .sourceDetail(source)
            sourceBudget = nil
            return [.loadBudget(source)]
        default: return nil
        }
        return []
    }

    // MARK: - Detail, help, confirm

    private mutating func sourceDetailKey(_ key: KeyPress, _ source: SourceID) -> [Effect] {
        switch key {
        case .escape, .enter, .character("q"):
            mode = .board
            sourceBudget = nil
        case .character("r"): return [.refresh, .loadBudget(source)]
        case .character("?"): mode = .help
        default: break
        }
        return []
    }

    private mutating func detailKey(_ key: KeyPress, _ symbol: Symbol) -> [Effect] {
        switch key {
        case .escape, .enter, .character("q"):
            mode = .board
            detailBars = []
        case .character("c"):
            chartMode = chartMode == .candles ? .line : .candles
        case .character("]"), .tab, .character("["), .backTab:
            let forward = key == .character("]") || key == .tab
            let all = Self.detailTimeframes
            let index = all.firstIndex(of: detailTimeframe) ?? 0
            detailTimeframe = all[(index + (forward ? 1 : all.count - 1)) % all.count]
            detailBars = []
            return [.loadBars(symbol, detailTimeframe)]
        case .character("r"):
            return [.loadBars(symbol, detailTimeframe), .refresh]
        case .character("?"):
            mode = .help
        default: break
        }
        return []
    }

    /// Any key closes the help.
    private mutating func helpKey(_ key: KeyPress) -> [Effect] {
        mode = .board
        return []
    }

    private mutating func confirmKey(_ key: KeyPress, _ symbol: Symbol) -> [Effect] {
        mode = .board
        guard key == .character("y") || key == .character("Y") else {
            message = StatusMessage("kept \(symbol)")
            return []
        }
        return removeSymbol(symbol)
    }
}
