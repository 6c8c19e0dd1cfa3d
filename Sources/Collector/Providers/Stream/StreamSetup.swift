/// One live stream of a configured source, from `ProviderFactory.streams(for:symbols:)`:
/// the provider to run, or why the stream does not run. Every kind's streams are described
/// here: the WebSocket streams of networked providers, and the in-process stream of the
/// simulated market and of a replay.
public struct StreamSetup: Sendable {
    /// What the stream carries: Alpaca has a stock and a crypto stream, Polygon and Finnhub
    /// stocks only; an in-process stream carries every symbol its source knows.
    public enum Market: String, Sendable {
        case stocks
        case crypto
        case all

        /// How the watchlist's symbols of this market are called ("no crypto pairs in the watchlist").
        var symbolsName: String {
            switch self {
            case .stocks: "stocks"
            case .crypto: "crypto pairs"
            case .all: "symbols"
            }
        }
    }

    public var market: Market
    /// The service name: `live-<source>`, and `live-<source>-crypto` for a crypto stream
    /// (`stream-<source>` for an in-process stream).
    public var name: String
    /// The URL as it may be shown (a token in it masked); `in process` for an in-process stream.
    public var shownURL: String
    /// The WebSocket stream to start; nil when it does not run (without a key there is none to
    /// dial) and for an in-process stream.
    package var provider: (any StreamProvider)?
    /// True for the stream the source's client pushes itself (`MarketDataSource.liveStream`:
    /// the simulated market, a replay), run over an in-process connection (`InProcessStreamProvider`)
    /// rather than a WebSocket.
    package var isInProcess = false
    /// Why the stream does not run (stream = false, no key, no watched symbol on it); nil when it runs.
    public var offReason: String?

    /// Whether the stream runs (with a client for its source).
    package var runs: Bool { offReason == nil && (provider != nil || isInProcess) }
}
