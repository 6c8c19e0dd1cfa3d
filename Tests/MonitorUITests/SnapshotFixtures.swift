import Collector
import CollectorTestSupport
import MonitorUI

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
                .init(
                    id: "alpaca", kind: "alpaca", priority: 10, state: .noKey, detail: "set APCA_API_KEY_ID in the environment"),
                .init(id: .simulated, kind: "simulated", priority: 100)
            ],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
        let now = clock.now()
        let crossed = F.quote("BTC-USD", bid: 61_020, ask: 61_000, at: now - .seconds(1))
        var validator = Validator()
        let anomalies = validator.validate([.quote(crossed)], origin: .live, at: now).anomalies
        await state.apply(
            accepted: [
                .quote(
                    F.quote(
                        "AAPL", bid: 189.41, ask: 189.43, last: 189.42, at: now - .seconds(2), previousClose: 187.5,
                        dayVolume: 12_345_678)),
                .quote(
                    F.quote(
                        "EURUSD=X", bid: 1.08121, ask: 1.08125, last: nil, at: now - .milliseconds(500), previousClose: 1.0825)),
                .quote(
                    F.quote(
                        "BTC-USD", bid: 60_990.5, ask: 61_001.25, last: 61_000, at: now - .seconds(3), previousClose: 60_000,
                        dayVolume: 1_234.5)),
                .quote(F.quote("MSFT", bid: 420.1, ask: 420.2, last: 420.15, at: now - .seconds(840), previousClose: 420.15))
            ],
            anomalies: anomalies,
            health: [
                .delivered(.simulated, .init(count: 1_234, path: .stream, roundTripMilliseconds: 3.25, at: now - .seconds(1)))
            ])
        await state.evaluateAlerts()
        var failover = Alert(
            kind: .failover, severity: .warning, subject: "AAPL", message: "shown from BACKUP: SIM is down",
            raisedAt: F.baseTime - .seconds(90_000))
        failover.clearedAt = F.baseTime - .seconds(89_700)
        await state.restoreEarlierAlerts([
            failover,
            Alert(
                kind: .sourceDown, severity: .error, subject: "YAHOO", message: "YAHOO is rate-limited: pausing 60s",
                raisedAt: F.baseTime - .seconds(4_000))
        ])
        return await state.snapshot()
    }
}

extension SnapshotFixtures {
    /// The fixture's watchlist, as the view state knows it.
    static let watchlists = [
        Watchlist(name: "default", symbols: ["AAPL", "EURUSD=X", "BTC-USD", "MSFT", "NVDA"].map(F.symbol)),
        Watchlist(name: "crypto", symbols: ["BTC-USD", "ETH-USD"].map(F.symbol))
    ]

    static func viewState() async -> ViewState {
        var state = ViewState(watchlists: watchlists)
        _ = state.reduce(.snapshot(await snapshot()))
        return state
    }

    /// A source that went down: its quotes are old and the alert is open.
    static func downSnapshot() async -> MarketSnapshot {
        let clock = FixedTimeSource(F.baseTime)
        let state = MarketState(
            watchlist: ["AAPL", "MSFT"].map(F.symbol), sources: [.init(id: .simulated, kind: "simulated", priority: 1)],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
        await state.apply(accepted: [
            .quote(F.quote("AAPL", last: 189.4, at: clock.now(), previousClose: 190)),
            .quote(F.quote("MSFT", bid: 420.1, ask: 420.2, last: 420.15, at: clock.now(), previousClose: 419))
        ])
        clock.advance(by: .seconds(180))
        await state.apply(health: [
            .failed(
                .simulated,
                .init(.broken, message: "SIM is unavailable: simulated outage until 15:10:00; retrying in 30s", at: clock.now()))
        ])
        await state.evaluateAlerts()
        return await state.snapshot()
    }

    /// A live WebSocket stream after two reconnects, with coalesced and dropped values,
    /// next to a polled source (no stream: its stream cells are `-`).
    static func liveStreamSnapshot() async -> MarketSnapshot {
        let clock = FixedTimeSource(F.baseTime)
        let state = MarketState(
            watchlist: ["AAPL", "MSFT"].map(F.symbol),
            sources: [.init(id: "alpaca", kind: "alpaca", priority: 1), .init(id: "yahoo", kind: "yahoo", priority: 2)],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
        let now = clock.now()
        await state.apply(
            accepted: [
                .quote(
                    F.quote(
                        "AAPL", source: "alpaca", bid: 189.41, ask: 189.43, last: 189.42, at: now - .milliseconds(40),
                        previousClose: 187.5))
            ],
            health: [
                .delivered("alpaca", .init(count: 4_210, path: .stream, roundTripMilliseconds: 38, at: now)),
                .connected(
                    "alpaca",
                    detail:
                        "streaming from wss://stream.data.alpaca.markets/v2/iex; reconnect 2 after: the server closed the connection"
                ),
                .streamed("alpaca", reconnects: 2, coalesced: 57, dropped: 1),
                .delivered("yahoo", .init(count: 2, path: .poll, roundTripMilliseconds: 210, at: now - .seconds(4)))
            ])
        return await state.snapshot()
    }

    /// Alpaca's crypto API failing (its circuit open) while its stocks serve: the source is
    /// degraded with a long reason, BTC-USD failed over to Yahoo, one alert for the part.
    static func partFailingSnapshot() async -> MarketSnapshot {
        let clock = FixedTimeSource(F.baseTime)
        let state = MarketState(
            watchlist: ["AAPL", "BTC-USD"].map(F.symbol),
            sources: [.init(id: "alpaca", kind: "alpaca", priority: 1), .init(id: "yahoo", kind: "yahoo", priority: 2)],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
        let now = clock.now()
        await state.apply(
            accepted: [
                .quote(F.quote("AAPL", source: "alpaca", bid: 189.41, ask: 189.43, last: 189.42, at: now, previousClose: 187.5)),
                .quote(F.quote("BTC-USD", source: "alpaca", bid: 53000, ask: 53010, last: 53005, at: now)),
                .quote(F.quote("BTC-USD", source: "yahoo", bid: 53001, ask: 53011, last: 53006, at: now))
            ],
            health: [
                .delivered("alpaca", .init(count: 2, path: .poll, roundTripMilliseconds: 120, at: now)),
                .partFailed(
                    "alpaca", part: "crypto", symbols: [F.symbol("BTC-USD")],
                    .init(.circuitOpen(until: now + .seconds(60)), message: partReason, at: now)),
                .delivered("yahoo", .init(count: 2, path: .poll, roundTripMilliseconds: 210, at: now))
            ])
        await state.evaluateAlerts()
        return await state.snapshot()
    }

    static let partReason =
        "ALPACA /v1beta3/crypto/us/snapshots HTTP 404: not found: endpoint not found; 5 failed rounds in a row, paused until 15:04:00"

    /// Minute bars with a visible shape, for the detail chart.
    static func detailBars() -> [Bar] {
        (0..<120).map { i in
            let t = Double(i)
            let mid = 189 + 2 * (t / 20).squareRoot() * ((t / 9).truncatingRemainder(dividingBy: 2) - 1) + t * 0.01
            let open = mid - 0.05 * ((t / 3).truncatingRemainder(dividingBy: 2) - 1)
            let close = mid + 0.07 * ((t / 4).truncatingRemainder(dividingBy: 2) - 1)
            return F.bar(
                "AAPL", start: F.baseTime - .seconds(Int64(120 - i) * 60), open: open, high: max(open, close) + 0.08,
                low: min(open, close) - 0.06, close: close, volume: 1_000 + t * 10)
        }
    }
}
