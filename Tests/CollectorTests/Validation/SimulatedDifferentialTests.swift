import Collector
import CollectorTestSupport
import Testing

/// The simulated market with no faults is clean data: version 2 must find
/// nothing in its history or its live stream. Its prices follow a random walk
/// with a US-session volume and volatility profile, but it trades around the
/// clock for every asset class by design, so it is validated as the runtime
/// does (`aroundTheClock`); the one rule that needs that is shown below.
///
/// Not covered: simulated 15Min to 1Hour equity bars, which the collector
/// does not fetch on its own (only `ticktop backfill --timeframe` asks). Their 50-bar window is mostly
/// simulated night, about 25 times quieter in variance than the US open and
/// close, so `price-spike` flags a few session bars; real bars of these sizes
/// come from sessions only.
@Suite("Validation v2 on the simulated market")
struct SimulatedDifferentialTests {
    static let symbols = ["AAPL", "MSFT", "NVDA", "TSLA", "BRK.B", "ZZZQ", "^GSPC", "EURUSD=X", "BTC-USD", "DOGE-USD"]
        .map(MarketFixtures.symbol)
    static let now = MarketFixtures.baseTime

    static func anomalies(_ events: [MarketEvent], origin: IngestOrigin, aroundTheClock: Bool = true) -> [Anomaly] {
        var validator = Validator(configuration: .defaults, aroundTheClock: aroundTheClock ? [.simulated] : [])
        return validator.validate(events, origin: origin, at: now).anomalies
    }

    @Test(arguments: [(Timeframe.oneDay, 365), (.oneWeek, 365), (.oneMinute, 7), (.fiveMinutes, 7)])
    func historyHasNoAnomalies(timeframe: Timeframe, days: Int) {
        let market = SimulatedMarket(seed: 42, symbols: Self.symbols)
        let range = (Self.now - .seconds(Int64(days) * 86_400))...Self.now
        var events: [MarketEvent] = []
        for symbol in Self.symbols {
            events += market.historyBars(for: symbol, timeframe: timeframe, in: range).map(MarketEvent.bar)
        }
        #expect(events.count > 10 * (timeframe == .oneWeek ? 50 : 200))
        let found = Self.anomalies(events, origin: .history)
        #expect(found.isEmpty, "\(found.prefix(5).map { "\($0.symbol) \($0.rule): \($0.message)" })")
    }

    @Test(arguments: [UInt64(42), 7, 2026])
    func otherSeedsAreCleanToo(seed: UInt64) {
        let market = SimulatedMarket(seed: seed, symbols: Self.symbols)
        var events: [MarketEvent] = []
        for symbol in Self.symbols {
            events += market.historyBars(for: symbol, timeframe: .oneDay, in: (Self.now - .seconds(730 * 86_400))...Self.now).map(
                MarketEvent.bar)
            events += market.historyBars(for: symbol, timeframe: .oneMinute, in: (Self.now - .seconds(2 * 86_400))...Self.now)
                .map(MarketEvent.bar)
        }
        let found = Self.anomalies(events, origin: .history)
        #expect(found.isEmpty, "\(found.prefix(5).map { "\($0.symbol) \($0.rule): \($0.message)" })")
    }

    /// Twenty minutes across the US open: quotes, trades and minute bars as they stream.
    @Test func liveStreamHasNoAnomalies() {
        var market = SimulatedMarket(seed: 42, symbols: Self.symbols)
        let open = MarketFixtures.baseTime - .seconds(1_800 + 600)  // 09:20 New York
        var validator = Validator(configuration: .defaults, aroundTheClock: [.simulated])
        var found: [Anomaly] = []
        var count = 0
        var now = open
        while now <= open + .seconds(1_200) {
            let events = market.advance(to: now)
            count += events.count
            found += validator.validate(events, origin: .live, at: now).anomalies
            now = now + .milliseconds(500)
        }
        #expect(count > 20_000)
        #expect(found.isEmpty, "\(found.prefix(5).map { "\($0.symbol) \($0.rule): \($0.message)" })")
    }

    /// Why the runtime treats the simulated market as always open: its equity
    /// minute bars go on through the night, which the session rule (rightly) flags.
    @Test func withoutTheExemptionNightBarsAreOutsideTheSession() {
        let market = SimulatedMarket(seed: 42, symbols: Self.symbols)
        let bars = market.historyBars(for: Self.symbols[0], timeframe: .oneMinute, in: (Self.now - .seconds(86_400))...Self.now)
        let found = Self.anomalies(bars.map(MarketEvent.bar), origin: .history, aroundTheClock: false)
        #expect(!found.isEmpty && Set(found.map(\.rule)) == ["bar-outside-session"])
    }

    /// A fault injected into the clean stream is found, and nothing else: a 10x spike.
    @Test func injectedSpikeIsCaught() {
        var market = SimulatedMarket(seed: 42, symbols: [Self.symbols[0]])
        var validator = Validator(configuration: .defaults, aroundTheClock: [.simulated])
        var now = Self.now
        var found: [Anomaly] = []
        for step in 0..<2_400 {
            if step == 2_000 { market.inject(.spike(Self.symbols[0], factor: 10), at: now) }
            found += validator.validate(market.advance(to: now), origin: .live, at: now).anomalies
            now = now + .milliseconds(250)
        }
        #expect(found.count == 1 && ["price-spike", "unit-error"].contains(found.first?.rule ?? ""), "\(found.map(\.message))")
    }
}
