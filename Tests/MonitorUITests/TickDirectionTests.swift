import Collector
import CollectorTestSupport
import Testing

@testable import MonitorUI

private let F = MarketFixtures.self

/// LAST's colour: which way each symbol's price moved between the snapshots the board took.
@Suite("Tick direction")
struct TickDirectionTests {
    /// The fixture's snapshot with `prices` (by symbol, in this order) as each symbol's last trade.
    static func snapshot(_ prices: [(String, Double?)], from base: MarketSnapshot) -> MarketSnapshot {
        var snapshot = base
        snapshot.symbols = prices.map { name, price in
            SymbolSnapshot(symbol: F.symbol(name), selected: price.map { F.quote(name, last: $0) })
        }
        return snapshot
    }

    @Test func eachSymbolKeepsTheDirectionOfItsLastMove() async {
        let base = await SnapshotFixtures.snapshot()
        var view = ViewState(watchlists: [Watchlist(name: "w", symbols: ["AAPL", "MSFT", "NVDA"].map(F.symbol))])
        _ = view.reduce(.snapshot(Self.snapshot([("AAPL", 10), ("MSFT", 20), ("NVDA", nil)], from: base)))
        #expect(view.tickDirection.isEmpty)
        _ = view.reduce(.snapshot(Self.snapshot([("AAPL", 11), ("MSFT", 19), ("NVDA", 5)], from: base)))
        #expect(view.tickDirection == [F.symbol("AAPL"): 1, F.symbol("MSFT"): -1])
        _ = view.reduce(.snapshot(Self.snapshot([("AAPL", 11), ("MSFT", 19), ("NVDA", 6)], from: base)))
        #expect(view.tickDirection == [F.symbol("AAPL"): 1, F.symbol("MSFT"): -1, F.symbol("NVDA"): 1])
    }

    /// A snapshot in another order (the watchlist was edited) compares each symbol with its own
    /// earlier price, not with the one at the same position.
    @Test func aReorderedSnapshotComparesBySymbol() async {
        let base = await SnapshotFixtures.snapshot()
        var view = ViewState(watchlists: [Watchlist(name: "w", symbols: ["AAPL", "MSFT", "NVDA"].map(F.symbol))])
        _ = view.reduce(.snapshot(Self.snapshot([("AAPL", 10), ("MSFT", 20), ("NVDA", 30)], from: base)))
        _ = view.reduce(.snapshot(Self.snapshot([("BTC-USD", 1), ("NVDA", 29), ("AAPL", 10), ("MSFT", 21)], from: base)))
        #expect(view.tickDirection == [F.symbol("NVDA"): -1, F.symbol("MSFT"): 1])
    }
}
