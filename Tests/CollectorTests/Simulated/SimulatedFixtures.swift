@testable import Collector

/// Shared values for the simulated-market tests.
enum SimulatedFixtures {
    /// 2026-03-02T00:00:00Z, a Monday.
    static let midnight = Timestamp(seconds: 1_772_409_600)
    /// 2026-03-02T15:00:00Z, inside the US session.
    static let afternoon = midnight + .seconds(15 * 3600)

    static func symbol(_ text: String) -> Symbol {
        try! Symbol(text)
    }

    static let aapl = symbol("AAPL")
    static let msft = symbol("MSFT")
    static let btc = symbol("BTC-USD")
    static let eur = symbol("EURUSD=X")
    static let spx = symbol("^GSPC")
    static let mixed = [aapl, msft, btc, eur, spx, symbol("ZZZQ"), symbol("ETH-USD")]

    /// Advances `market` from `start` in `step`s for `duration`, returning every event.
    static func run(
        _ market: inout SimulatedMarket, from start: Timestamp, for duration: Duration,
        step: Duration = .milliseconds(250)
    ) -> [MarketEvent] {
        var events: [MarketEvent] = []
        var now = start
        while now <= start + duration {
            events += market.advance(to: now)
            now = now + step
        }
        return events
    }

    /// The price a value shows: quote mid, trade price or bar close.
    static func price(_ event: MarketEvent) -> Double {
        switch event {
        case .quote(let quote): quote.mid!
        case .trade(let trade): trade.price
        case .bar(let bar): bar.close
        }
    }

    static func quotes(_ events: [MarketEvent], _ symbol: Symbol) -> [Quote] {
        events.compactMap { if case .quote(let q) = $0, q.symbol == symbol { q } else { nil } }
    }

    static func bars(_ events: [MarketEvent], _ symbol: Symbol) -> [Bar] {
        events.compactMap { if case .bar(let b) = $0, b.symbol == symbol { b } else { nil } }
    }
}
