import Collector

/// What the board shows and its effects act on: the collector of a terminal that collects
/// (`CollectorRuntime`), or a terminal following a shared store (`StoreViewer`).
protocol BoardFeed: Sendable {
    var state: MarketState { get }
    /// Where the detail chart reads bars.
    var store: any MarketStore { get }
    func snapshot() async -> MarketSnapshot
    func setSymbols(_ symbols: [Symbol]) async
    /// The rate-limit budget of `source` (the source detail), where this terminal knows it.
    func budget(of source: SourceID) async -> RateLimiter.Status?
    /// `r`: what was done, in words for the message line.
    func refresh() async -> String
    /// Puts the quotes the store holds into the state for the first frame; how many symbols got one.
    func restoreStoredQuotes() async throws -> Int
    /// The provider requests already sent that a shutdown would wait for (`ProviderRequests.draining`).
    var requestsSent: ProviderRequests.Sent { get }
}

extension CollectorRuntime: BoardFeed {
    func budget(of source: SourceID) async -> RateLimiter.Status? {
        await sources.first { $0.id == source }?.rateLimiter?.status()
    }

    func refresh() async -> String { await refreshPolledSources().description }

    var requestsSent: ProviderRequests.Sent { historyRequests.sent + quoteRequests.sent }
}

extension StoreViewer: BoardFeed {
    /// The budget belongs to the collectors: a viewer has none to show.
    func budget(of source: SourceID) async -> RateLimiter.Status? { nil }

    func refresh() async -> String {
        readAgain()
        return "reading the store again"
    }

    /// The follower's first read fills the state: nothing to restore before it.
    func restoreStoredQuotes() async throws -> Int { 0 }

    /// A viewer asks no provider.
    var requestsSent: ProviderRequests.Sent { .init() }
}
