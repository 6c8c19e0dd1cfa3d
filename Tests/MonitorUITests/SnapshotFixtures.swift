import Collector
import CollectorTestSupport

private let F = MarketFixtures.self

/// A fixed market state for rendering tests: fresh, stale, quarantined, missing,
/// one source streaming, one without a key.
enum SnapshotFixtures {
    static func snapshot() async -> MarketSnapshot {
        let clock = FixedTimeSource(F.baseTime)
        let symbols = ["AAPL", "EURUSD=X", "BTC-USD", "MSFT", "NVDA"].map(F.symbol)
        let state = MarketState(
            watchlist: symbols,
            sources: [
                .init(id: "alpaca", kind: "alpaca", priority: 10, state: .noKey, detail: "set APCA_API_KEY_ID in the environment"),
                .init(id: .simulated, kind: "simulated", priority: 100),
            ],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
        let now = clock.now()
        let crossed = F.quote("BTC-USD", bid: 61_020, ask: 61_000, at: now - .seconds(1))
        var validator = Validator()
        let anomalies = validator.validate([.quote(crossed)], origin: .live, at: now).anomalies
        await state.apply(StateUpdate(
            accepted: [
                .quote(F.quote("AAPL", bid: 189.41, ask: 189.43, last: 189.42, at: now - .seconds(2), previousClose: 187.5, dayVolume: 12_345_678)),
                .quote(F.quote("EURUSD=X", bid: 1.08121, ask: 1.08125, last: nil, at: now - .milliseconds(500), previousClose: 1.0825)),
                .quote(F.quote("BTC-USD", bid: 60_990.5, ask: 61_001.25, last: 61_000, at: now - .seconds(3), previousClose: 60_000, dayVolume: 1_234.5)),
                .quote(F.quote("MSFT", bid: 420.1, ask: 420.2, last: 420.15, at: now - .seconds(840), previousClose: 420.15)),
            ],
            anomalies: anomalies,
            health: [.delivered(.simulated, state: .streaming, count: 1_234, latencyMilliseconds: 3.25, at: now - .seconds(1))]))
        return await state.snapshot()
    }
}
