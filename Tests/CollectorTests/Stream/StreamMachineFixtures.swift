import Collector
import CollectorTestSupport

/// Providers, settings and frames for the `StreamProtocolMachine` tables: no sockets, no clocks.
enum StreamMachineFixtures {
    static let key = "PKMACHINEKEY0042"
    static let secret = "machineSECRET9191"
    /// Monday 2026-03-02, 10:00 in New York: the stock market is open.
    static let open = MarketFixtures.baseTime
    /// Saturday 2026-03-07, 10:00 in New York: the stock market is closed.
    static let weekend = MarketFixtures.baseTime + .seconds(5 * 86_400)
    static let aapl = MarketFixtures.symbol("AAPL")
    static let msft = MarketFixtures.symbol("MSFT")
    static let nvda = MarketFixtures.symbol("NVDA")
    static let btc = MarketFixtures.symbol("BTC/USD")

    static let alpaca = AlpacaStream(
        id: "alpaca", url: "wss://stream.data.alpaca.markets/v2/iex", credentials: ProviderCredentials(key: key, secret: secret))
    static let alpacaCrypto = AlpacaStream(
        id: "alpaca", url: "wss://stream.data.alpaca.markets/v1beta3/crypto/us",
        credentials: ProviderCredentials(key: key, secret: secret))
    static let polygon = PolygonStream(id: "polygon", url: "wss://socket.polygon.io/stocks", key: key)
    static let finnhub = FinnhubStream(id: "finnhub", baseURL: "wss://ws.finnhub.io", key: key)

    /// 1 s to 30 s backoff without jitter, stale after 30 s, connect timeout 15 s, stable after 60 s.
    static func settings(pollingFallback: Bool = false) -> LiveStreamSettings {
        LiveStreamSettings(
            backoff: RetryBackoff(initial: .seconds(1), maximum: .seconds(30)), jitter: { $0 }, stableAfter: .seconds(60),
            staleAfter: .seconds(30), pollingFallback: pollingFallback, connectTimeout: .seconds(15))
    }

    static func machine(_ provider: any StreamProvider, pollingFallback: Bool = false) -> StreamProtocolMachine {
        StreamProtocolMachine(provider: provider, settings: settings(pollingFallback: pollingFallback))
    }

    /// A machine of `provider` connected at `open` and live with `watching` subscribed.
    static func live(
        _ provider: any StreamProvider, watching: [Symbol] = [aapl], pollingFallback: Bool = false
    ) -> StreamProtocolMachine {
        var machine = machine(provider, pollingFallback: pollingFallback)
        _ = machine.handle(.connected(at: open, watching: watching))
        _ = machine.handle(.messages([.connected], at: open))
        _ = machine.handle(.messages([.authenticated], at: open))
        return machine
    }

    static func alpacaFrame(_ action: String, _ symbols: [String]) -> String {
        let list = "[" + symbols.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        return #"{"action":"\#(action)","bars":\#(list),"quotes":\#(list),"trades":\#(list)}"#
    }

    /// The actions that report a connection gone live, with `note` as its detail.
    static func wentLive(_ id: SourceID, note: String) -> [StreamProtocolMachine.Action] {
        [
            .report([.connected(id, detail: note), .streamed(id, reconnects: 0, coalesced: 0, dropped: 0)])
        ]
    }

    /// Whether a stream's status, up before, is still up after following the facts `actions`
    /// report (the facts are the one account of whether a stream is up).
    static func staysUp(after actions: [StreamProtocolMachine.Action]) -> Bool {
        let status = StreamStatus()
        status.follow([.connected("any", detail: nil)])
        for case .report(let facts) in actions { status.follow(facts) }
        return status.isConnected
    }

    /// Every text an action shows or logs (reports and warnings), to check for secrets.
    static func shownText(_ actions: [StreamProtocolMachine.Action]) -> String {
        actions.map { action in
            switch action {
            case .report(let health): "\(health)"
            case .warn(let message, let key, let text): "\(message) \(key) \(text)"
            default: ""
            }
        }.joined(separator: "\n")
    }
}

extension HealthFact {
    /// The fact a stream's end is reported as: the state its protocol judged, and whether a poller
    /// stands in meanwhile.
    static func streamFailed(
        _ id: SourceID, judged: HealthState, pollerStandsIn: Bool = false, message: String, at time: Timestamp
    ) -> HealthFact {
        .failed(id, .init(.stream(judged: judged, pollerStandsIn: pollerStandsIn), message: message, at: time))
    }
}
