import Collector
import Synchronization

/// A polled source for testing pollers: each `latestQuotes` call is answered
/// by `respond(call, symbols)`, where `call` counts from 0. When `limiter` is
/// set every call first takes a token without waiting, failing as
/// rate-limited when none is left (as a provider client configured not to wait).
public final class ScriptedQuoteSource: MarketDataSource, Sendable {
    public let id: SourceID
    public let kind = "scripted"
    public let capabilities: SourceCapabilities = [.latestQuotes]
    public let quoteSymbolsPerRequest: Int
    public let rateLimiter: RateLimiter?
    private let respond: @Sendable (Int, [Symbol]) throws -> [Quote]
    private let calls = Mutex<[[Symbol]]>([])

    public init(
        id: SourceID = "scripted", symbolsPerRequest: Int = 100, limiter: RateLimiter? = nil,
        respond: @escaping @Sendable (Int, [Symbol]) throws -> [Quote]
    ) {
        self.id = id
        self.quoteSymbolsPerRequest = symbolsPerRequest
        self.rateLimiter = limiter
        self.respond = respond
    }

    /// The symbols of every call, in order.
    public var requests: [[Symbol]] { calls.withLock { $0 } }

    public func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        if let rateLimiter {
            do {
                try await rateLimiter.acquire(maximumWait: .zero)
            } catch let exhausted as RateLimiter.Exhausted {
                throw ProviderError(
                    provider: id, kind: .rateLimited(retryAfter: exhausted.wait), endpoint: "/quotes",
                    message: exhausted.description)
            }
        }
        let call = calls.withLock { calls in
            calls.append(symbols)
            return calls.count - 1
        }
        return try respond(call, symbols)
    }
}
