/// Which provider a configured source talks to, with that provider's defaults.
///
/// URLs and environment-variable names follow the providers' documentation
/// (see `provider-formats.md`); poll intervals suit each free tier's rate limit.
public enum SourceKind: String, Sendable, Equatable, CaseIterable {
    case simulated
    case alpaca
    case yahoo
    case alphavantage
    case polygon
    case finnhub
    case replay

    package var displayName: String {
        switch self {
        case .simulated: "Simulated market"
        case .alpaca: "Alpaca"
        case .yahoo: "Yahoo Finance"
        case .alphavantage: "Alpha Vantage"
        case .polygon: "Polygon.io (Massive)"
        case .finnhub: "Finnhub"
        case .replay: "Replay file"
        }
    }

    /// Whether this kind talks to a network provider (has `base_url` and `poll_interval`).
    package var isNetworked: Bool { defaultBaseURL != nil }

    /// The REST base URL; `nil` for kinds that do not use the network.
    package var defaultBaseURL: String? {
        switch self {
        case .simulated, .replay: nil
        case .alpaca: "https://data.alpaca.markets"
        case .yahoo: "https://query1.finance.yahoo.com"
        case .alphavantage: "https://www.alphavantage.co"
        case .polygon: "https://api.massive.com"
        case .finnhub: "https://finnhub.io/api/v1"
        }
    }

    /// The streaming (WebSocket) URL; `nil` where the provider has no stream.
    /// Alpaca's follows the feed: `wss://stream.data.alpaca.markets/v2/{feed}`.
    package var defaultStreamURL: String? {
        switch self {
        case .alpaca: Self.alpacaStreamURL(feed: Self.defaultAlpacaFeed)
        case .polygon: "wss://socket.massive.com/stocks"
        case .finnhub: "wss://ws.finnhub.io"
        case .simulated, .replay, .yahoo, .alphavantage: nil
        }
    }

    /// Alpaca's crypto stream, a second connection beside the stock stream; `nil` for other kinds.
    package var defaultCryptoStreamURL: String? {
        self == .alpaca ? "wss://stream.data.alpaca.markets/v1beta3/crypto/us" : nil
    }

    /// The environment variable holding the API key (or key id); `nil` when no key is needed.
    package var defaultKeyEnv: String? {
        switch self {
        case .alpaca: "APCA_API_KEY_ID"
        case .alphavantage: "ALPHAVANTAGE_API_KEY"
        case .polygon: "POLYGON_API_KEY"
        case .finnhub: "FINNHUB_API_KEY"
        case .simulated, .replay, .yahoo: nil
        }
    }

    /// The environment variable holding the API secret; only Alpaca has one.
    package var defaultSecretEnv: String? {
        self == .alpaca ? "APCA_API_SECRET_KEY" : nil
    }

    /// Time between polls, chosen for the free tier: Alpaca 200 calls/min, Yahoo unmetered
    /// but touchy, Alpha Vantage 25 calls/day, Polygon 5 calls/min, Finnhub 60 calls/min.
    package var defaultPollInterval: Duration? {
        switch self {
        case .alpaca: .seconds(5)
        case .yahoo: .seconds(15)
        case .alphavantage: .seconds(3600)
        case .polygon: .seconds(60)
        case .finnhub: .seconds(15)
        case .simulated, .replay: nil
        }
    }

    /// The free tier's request budget, as `provider-formats.md` gives it (with how sure it is).
    package var defaultRateLimit: RateLimit? {
        switch self {
        case .alpaca: RateLimit(requests: 200, per: .seconds(60), basis: .published)
        case .yahoo: RateLimit(requests: 60, per: .seconds(60), basis: .unverified)
        case .alphavantage: RateLimit(requests: 25, per: .seconds(86_400), basis: .observed)
        case .polygon: RateLimit(requests: 5, per: .seconds(60), basis: .observed)
        case .finnhub: RateLimit(requests: 60, per: .seconds(60), basis: .observed)
        case .simulated, .replay: nil
        }
    }

    /// A second, shorter limit the provider enforces beside `defaultRateLimit` (Alpha Vantage's
    /// "1 request per second" note), kept in this process only.
    package var burstLimit: RateLimit? {
        switch self {
        case .alphavantage: RateLimit(requests: 1, per: .seconds(1), basis: .observed)
        case .alpaca, .yahoo, .polygon, .finnhub, .simulated, .replay: nil
        }
    }

    /// Whether the provider refuses requests without an API key.
    package var needsKey: Bool { defaultKeyEnv != nil }

    /// Default `priority` (lower is preferred): streaming providers first, the simulator last.
    package var defaultPriority: Int {
        switch self {
        case .alpaca: 10
        case .polygon: 20
        case .finnhub: 30
        case .yahoo: 40
        case .alphavantage: 50
        case .replay: 90
        case .simulated: 100
        }
    }

    /// Alpaca stock feeds the stream accepts.
    package static let alpacaFeeds = ["iex", "sip"]
    package static let defaultAlpacaFeed = "iex"

    package static func alpacaStreamURL(feed: String) -> String {
        "wss://stream.data.alpaca.markets/v2/\(feed)"
    }

    /// Keys a `[sources.<id>]` table of this kind accepts.
    var acceptedKeys: [String] {
        var keys = ["kind", "enabled", "priority"]
        switch self {
        case .simulated: keys += ["seed", "tick_interval", "faults"]
        case .replay: keys += ["path", "speed", "loop"]
        default: keys += ["base_url", "poll_interval", "rate_limit", "timeout"]
        }
        if defaultStreamURL != nil { keys += ["stream_url", "stream", "stale_stream_after"] }
        if defaultCryptoStreamURL != nil { keys.append("crypto_stream_url") }
        if defaultKeyEnv != nil { keys.append("key_env") }
        if defaultSecretEnv != nil { keys.append("secret_env") }
        if self == .alpaca { keys.append("feed") }
        return keys
    }
}
