/// One live stream of a configured source, from `ProviderFactory.streams(for:symbols:)`:
/// the provider to run, or why the stream does not run.
public struct StreamSetup: Sendable {
    /// What the stream carries: Alpaca has a stock and a crypto stream, the others stocks only.
    public enum Market: String, Sendable {
        case stocks
        case crypto

        /// How the watchlist's symbols of this market are called ("no crypto pairs in the watchlist").
        var symbolsName: String { self == .crypto ? "crypto pairs" : "stocks" }
    }

    public var market: Market
    /// The service name: `live-<source>`, and `live-<source>-crypto` for a crypto stream.
    public var name: String
    /// The URL as it may be shown (a token in it masked).
    public var shownURL: String
    /// The stream to start; nil when it does not run (without a key there is none to dial).
    public var provider: (any StreamProvider)?
    /// Why the stream does not run (stream = false, no key, no watched symbol on it); nil when it runs.
    public var offReason: String?
}
