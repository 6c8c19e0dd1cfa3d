import Collector
import Synchronization

/// A polled source for testing pollers: each `latestQuotes` call is answered
/// by `respond(call, symbols)`, where `call` counts from 0. When `limiter` is
/// set every call first takes a token without waiting, failing as
/// rate-limited when none is left (as a provider client configured not to wait).
package final class ScriptedQuoteSource: MarketDataSource, Sendable {
    package let id: SourceID
    package let kind = "scripted"
    package let capabilities: SourceCapabilities = [.latestQuotes]
    package let quoteSymbolsPerRequest: Int
    package let rateLimiter: RateLimiter?
    private let respond: @Sendable (Int, [Symbol]) throws -> [Quote]
    private let calls = Mutex<[[Symbol]]>([])

    package init(
        id: SourceID = "scripted", symbolsPerRequest: Int = 100, limiter: RateLimiter? = nil,
        respond: @escaping @Sendable (Int, [Symbol]) throws -> [Quote]
    ) {
        self.id = id
        self.quoteSymbolsPerRequest = symbolsPerRequest
        self.rateLimiter = limiter
        self.respond = respond
    }

    /// The symbols of every call, in order.
    package var requests: [[Symbol]] { calls.withLock { $0 } }

    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        if let rateLimiter {
            do {
                try await rateLimiter.acquire(maximumWait: .zero)
            } catch let exhausted as RateLimiter.Exhausted {
                throw ProviderError(
                    source: id, kind: .rateLimited(retryAfter: exhausted.wait), endpoint: "/quotes",
                    message: exhausted.description)
            }
        }
        let call = calls.withLock { calls in
            calls.append(symbols)
            return calls.count - 1
        }
        // A call is a request, as `ProviderClient.send` times one: the poller counts it as answered.
        RequestTimings.current?.record(.zero)
        return try respond(call, symbols)
    }
}
