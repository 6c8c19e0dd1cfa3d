/// What a source can do.
public struct SourceCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Historical bars on request (backfill).
    public static let historyBars = SourceCapabilities(rawValue: 1 << 0)
    /// A snapshot of the latest quotes on request (polling).
    public static let latestQuotes = SourceCapabilities(rawValue: 1 << 1)
    // Streams are no capability: `ProviderFactory.streams(for:symbols:)` describes each kind's.
}

/// One provider of market data. Implementations stamp every value with their
/// `id` and the receive time, and report failures as `ProviderError`.
public protocol MarketDataSource: Sendable {
    var id: SourceID { get }
    /// The provider kind (`simulated`, `alpaca`, ...), for display.
    var kind: String { get }
    var capabilities: SourceCapabilities { get }

    /// Most symbols one `latestQuotes` request carries; pollers split the watchlist into
    /// chunks of this size (1 where the provider has no multi-symbol endpoint).
    var quoteSymbolsPerRequest: Int { get }

    /// Most bars one page of a `historyBars` answer carries: backfill planning merges
    /// nearby holes into one request while the merged span fits in a page.
    var historyBarsPerRequest: Int { get }

    /// The rate limiter this source's requests go through, where it has one.
    var rateLimiter: RateLimiter? { get }

    /// A lasting problem the source works around (e.g. rows of a replay file it had
    /// to skip): while set, the source shows as degraded with this text even when delivering.
    var standingIssue: String? { get }

    /// The part of the source serving `symbol` (a market or endpoint that fails apart from the
    /// others, e.g. Alpaca's `stocks` and `crypto` APIs), or nil where the source fails as a
    /// whole. Pollers keep a circuit and a health per part, so one failing part fails over only
    /// its own symbols.
    func part(of symbol: Symbol) -> String?

    /// Bars of `timeframe` for `symbol` whose start lies in `range` (inclusive), oldest first.
    func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws
        -> [Bar]

    /// The latest quote for each symbol the source knows.
    func latestQuotes(for symbols: [Symbol]) async throws -> [Quote]

    /// A live stream of batches of values for `symbols`, pushed from within the process (the
    /// simulated market, a replay: kinds with an in-process `StreamSetup`). It ends by throwing
    /// when the source fails; the caller decides when to reconnect.
    func liveStream(for symbols: [Symbol]) -> AsyncThrowingStream<[MarketEvent], any Error>
}

extension MarketDataSource {
    public var quoteSymbolsPerRequest: Int { 100 }
    public var historyBarsPerRequest: Int { 10_000 }
    public var rateLimiter: RateLimiter? { nil }
    public var standingIssue: String? { nil }
    public func part(of symbol: Symbol) -> String? { nil }

    public func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        throw ProviderError.unsupported(source: id, capability: "history bars")
    }

    public func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        throw ProviderError.unsupported(source: id, capability: "latest quotes")
    }

    public func liveStream(for symbols: [Symbol]) -> AsyncThrowingStream<[MarketEvent], any Error> {
        AsyncThrowingStream { $0.finish(throwing: ProviderError.unsupported(source: id, capability: "live stream")) }
    }
}
