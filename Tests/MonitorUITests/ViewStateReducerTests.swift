import Collector
import CollectorTestSupport
import MonitorUI
import Testing

private let F = MarketFixtures.self

/// Every key binding, checked through the reducer's state and effects.
@Suite("View state reducer")
struct ViewStateReducerTests {
    func state() async -> ViewState { await SnapshotFixtures.viewState() }

    func press(_ state: inout ViewState, _ keys: KeyPress...) -> [Effect] {
        keys.flatMap { state.reduce(.key($0)) }
    }

    func type(_ state: inout ViewState, _ text: String) {
        for c in text { _ = state.reduce(.key(.character(c))) }
    }

    @Test func movingAndPaging() async {
        var s = await state()
        _ = s.reduce(.pageSize(2))
        _ = press(&s, .character("j"))
        #expect(s.selection == 1)
        _ = press(&s, .down, .down)
        #expect(s.selection == 3)
        #expect(s.scroll == 2, "the selection stays visible")
        _ = press(&s, .down, .down, .down)
        #expect(s.selection == 4, "clamped at the last row")
        _ = press(&s, .character("k"), .up)
        #expect(s.selection == 2)
        _ = press(&s, .pageUp)
        #expect(s.selection == 0)
        _ = press(&s, .pageDown)
        #expect(s.selection == 2)
        _ = press(&s, .character("G"))
        #expect(s.selection == 4)
        _ = press(&s, .character("g"))
        #expect(s.selection == 0)
        _ = press(&s, .end)
        #expect(s.selection == 4)
        _ = press(&s, .home)
        #expect(s.selection == 0 && s.scroll == 0)
    }

    @Test func detailViewOpensLoadsAndCloses() async {
        var s = await state()
        _ = press(&s, .down)
        let effects = press(&s, .enter)
        #expect(s.mode == .detail(F.symbol("EURUSD=X")))
        #expect(effects == [.loadBars(F.symbol("EURUSD=X"), .oneMinute)])
        #expect(press(&s, .character("]")) == [.loadBars(F.symbol("EURUSD=X"), .fiveMinutes)])
        #expect(press(&s, .character("]")) == [.loadBars(F.symbol("EURUSD=X"), .oneDay)])
        #expect(press(&s, .character("[")) == [.loadBars(F.symbol("EURUSD=X"), .fiveMinutes)])
        _ = press(&s, .character("c"))
        #expect(s.chartMode == .line)
        _ = s.reduce(.bars(F.symbol("EURUSD=X"), .oneMinute, [F.bar("EURUSD=X")]))
        #expect(s.detailBars.isEmpty, "bars for another timeframe are ignored")
        _ = s.reduce(.bars(F.symbol("EURUSD=X"), .fiveMinutes, [F.bar("EURUSD=X")]))
        #expect(s.detailBars.count == 1)
        _ = press(&s, .escape)
        #expect(s.mode == .board)
    }

    @Test func addingSymbolsValidatesInline() async {
        var s = await state()
        _ = press(&s, .character("a"))
        type(&s, "AA PL$")
        #expect(press(&s, .enter).isEmpty)
        guard case .input(let input) = s.mode else {
            Issue.record("prompt closed on a bad symbol")
            return
        }
        #expect(input.error?.contains("'$'") == true)
        _ = press(&s, .backspace)
        #expect(s.mode == .input(TextInput(.addSymbol, text: "AA PL")), "editing clears the error")
        for _ in 0..<5 { _ = press(&s, .backspace) }
        type(&s, "amd, msft")
        let effects = press(&s, .enter)
        let expected = ["AAPL", "EURUSD=X", "BTC-USD", "MSFT", "NVDA", "AMD"].map(F.symbol)
        #expect(s.currentWatchlist.symbols == expected, "MSFT was already there; AMD is added")
        #expect(effects == [.watch(expected), .saveWatchlists(s.watchlists, active: "default")])
        #expect(s.selection == 5, "the new symbol is selected")
        #expect(s.message?.text == "added AMD to default")
    }

    @Test func addingOnlyDuplicatesIsRefused() async {
        var s = await state()
        _ = press(&s, .character("a"))
        type(&s, "aapl")
        #expect(press(&s, .enter).isEmpty)
        #expect(s.mode == .input(TextInput(.addSymbol, text: "aapl", error: "already in default")))
        _ = press(&s, .escape)
        #expect(s.mode == .board)
    }

    @Test func deletingAsksFirst() async {
        var s = await state()
        _ = press(&s, .character("d"))
        #expect(s.mode == .confirmDelete(F.symbol("AAPL")))
        #expect(press(&s, .character("n")).isEmpty)
        #expect(s.currentWatchlist.symbols.count == 5)
        _ = press(&s, .character("d"))
        let effects = press(&s, .character("y"))
        let remaining = ["EURUSD=X", "BTC-USD", "MSFT", "NVDA"].map(F.symbol)
        #expect(s.currentWatchlist.symbols == remaining)
        #expect(effects == [.watch(remaining), .saveWatchlists(s.watchlists, active: "default")])
    }

    @Test func reordering() async {
        var s = await state()
        let effects = press(&s, .character("J"))
        #expect(Array(s.currentWatchlist.symbols.prefix(2)) == ["EURUSD=X", "AAPL"].map(F.symbol))
        #expect(s.selection == 1, "the selection follows the moved symbol")
        #expect(effects.count == 2)
        _ = press(&s, .character("K"))
        #expect(s.currentWatchlist.symbols.first == F.symbol("AAPL"))
        #expect(press(&s, .character("K")).isEmpty, "the first cannot move up")
        _ = press(&s, .character("s"))
        #expect(press(&s, .character("J")).isEmpty)
        #expect(s.message?.isError == true, "reordering a sorted board is refused with a reason")
    }

    @Test func switchingWatchlists() async {
        var s = await state()
        let crypto = Watchlist(name: "crypto", symbols: ["BTC-USD", "ETH-USD"].map(F.symbol))
        #expect(press(&s, .tab) == [.watch(crypto.symbols), .saveWatchlists(s.watchlists, active: "crypto")])
        #expect(s.activeWatchlist == 1)
        _ = press(&s, .character("]"))
        #expect(s.activeWatchlist == 0, "wraps around")
        _ = press(&s, .character("["))
        #expect(s.activeWatchlist == 1)
        _ = press(&s, .backTab)
        #expect(s.activeWatchlist == 0)
        _ = press(&s, .character("2"))
        #expect(s.activeWatchlist == 1)
        #expect(press(&s, .character("7")).isEmpty)
        #expect(s.message == .init("there is no watchlist 7 (2 defined)", isError: true))
        #expect(s.activeWatchlist == 1)
    }

    /// A digit with a combining mark sorts between "1" and "9" but is no number: it switches nothing
    /// (it once crashed the board on `Int(String(c))!`).
    @Test func aDigitWithACombiningMarkIsNotAWatchlistNumber() async {
        var s = await state()
        _ = press(&s, .character("1\u{301}"))
        #expect(s.activeWatchlist == 0)
        _ = press(&s, .character("2"))
        #expect(s.activeWatchlist == 1)
    }

    @Test func newAndRenamedWatchlists() async {
        var s = await state()
        _ = press(&s, .character("n"))
        type(&s, "crypto")
        _ = press(&s, .enter)
        #expect(s.mode == .input(TextInput(.newWatchlist, text: "crypto", error: "there is already a watchlist named crypto")))
        for _ in 0..<6 { _ = press(&s, .backspace) }
        type(&s, "fx")
        let effects = press(&s, .enter)
        #expect(s.watchlists.map(\.name) == ["default", "crypto", "fx"])
        #expect(s.activeWatchlist == 2)
        #expect(effects.first == .watch([]))
        _ = press(&s, .character("R"))
        #expect(s.mode == .input(TextInput(.renameWatchlist, text: "fx")))
        type(&s, "-majors")
        #expect(press(&s, .enter) == [.saveWatchlists(s.watchlists, active: "fx-majors")])
        #expect(s.currentWatchlist.name == "fx-majors")
        _ = press(&s, .character("R"))
        type(&s, "!")
        _ = press(&s, .enter)
        #expect(s.mode == .input(TextInput(.renameWatchlist, text: "fx-majors!", error: "use letters, digits, - and _ only")))
    }

    @Test func sortingAndReversing() async {
        var s = await state()
        _ = press(&s, .character("s"))
        #expect(s.sort == .symbol)
        #expect(s.rows.map(\.symbol.rawValue) == ["AAPL", "BTC-USD", "EURUSD=X", "MSFT", "NVDA"])
        _ = press(&s, .character("S"))
        #expect(s.rows.map(\.symbol.rawValue) == ["NVDA", "MSFT", "EURUSD=X", "BTC-USD", "AAPL"])
        _ = press(&s, .character("S"), .character("s"), .character("s"))
        #expect(s.sort == .changePercent)
        #expect(s.rows.map(\.symbol.rawValue) == ["EURUSD=X", "MSFT", "AAPL", "BTC-USD", "NVDA"], "no value sorts last")
        for _ in 0..<3 { _ = press(&s, .character("s")) }
        #expect(s.sort == nil, "cycles back to watchlist order")
    }

    @Test func filtering() async {
        var s = await state()
        _ = press(&s, .character("/"))
        type(&s, "us")
        #expect(s.rows.map(\.symbol.rawValue) == ["EURUSD=X", "BTC-USD"], "filters while typing")
        _ = press(&s, .enter)
        #expect(s.mode == .board && s.filter == "us")
        _ = press(&s, .escape)
        #expect(s.filter.isEmpty, "Esc on the board clears the filter")
        _ = press(&s, .character("/"))
        type(&s, "zzz")
        #expect(s.rows.isEmpty)
        _ = press(&s, .escape)
        #expect(s.filter.isEmpty && s.mode == .board)
    }

    @Test func refreshThemePauseHelpQuit() async {
        var s = await state()
        #expect(press(&s, .character("r")) == [.refresh])
        #expect(press(&s, .character("t")) == [.nextTheme])
        _ = s.reduce(.theme("light"))
        #expect(s.themeName == "light")
        _ = press(&s, .character("p"))
        #expect(s.paused)
        let frozen = s.snapshot?.generation
        _ = s.reduce(.snapshot(await SnapshotFixtures.downSnapshot()))
        #expect(s.snapshot?.generation == frozen, "paused: the shown snapshot does not change")
        _ = press(&s, .character("p"))
        #expect(!s.paused)
        _ = press(&s, .character("?"))
        #expect(s.mode == .help)
        #expect(press(&s, .character("q")).isEmpty, "q closes the help first")
        #expect(s.mode == .board)
        #expect(press(&s, .character("q")) == [.quit])
    }

    @Test func panelsToggleAndFocus() async {
        var s = await state()
        _ = press(&s, .character("h"))
        #expect(!s.visiblePanels.contains(.health))
        _ = press(&s, .character("h"), .character("e"), .character("x"))
        #expect(s.visiblePanels == [.board, .health])
        _ = press(&s, .character("x"), .character("e"))
        _ = press(&s, .character("f"))
        #expect(s.focus == .health)
        _ = press(&s, .character("j"), .character("j"))
        #expect(s.sourceSelection == 1, "j selects the next source of the focused SOURCES panel, stopping at the last")
        #expect(s.selection == 0, "j moves in the focused panel, not on the board")
        _ = press(&s, .character("f"), .character("f"), .character("f"))
        #expect(s.focus == .board)
        _ = press(&s, .character("f"))
        _ = press(&s, .escape)
        #expect(s.focus == .board)
    }

    @Test func unsavedSessionsDoNotPersist() async {
        var s = await state()
        s.persistsWatchlists = false
        #expect(press(&s, .tab) == [.watch(["BTC-USD", "ETH-USD"].map(F.symbol))])
    }

    @Test func everyHelpEntryIsBound() async {
        // The help lists only keys the reducer handles: each listed board key changes something.
        var s = await state()
        for key in ["a", "d", "n", "R", "/", "?"] {
            s.mode = .board
            _ = press(&s, .character(Character(key)))
            #expect(s.mode != .board, "\(key) opens its prompt")
        }
        #expect(ViewState.keyBindings.count >= 20)
    }
}
