import Foundation

/// One request per use to see whether a source works (`ticktop sources --check`):
/// its latest quote for a symbol and, when the configured use needs history
/// (`collect.backfill_daily_days` above 0), its last week of daily bars — the
/// cheapest history request (Alpha Vantage's `compact`). Each goes through the
/// provider's limiter, so a check spends the shared budget like any other request.
public struct SourceProbe: Sendable {
    package let timeSource: any TimeSource

    public init(timeSource: any TimeSource) { self.timeSource = timeSource }

    public struct Outcome: Sendable, Hashable {
        package var source: SourceID
        public var succeeded: Bool
        public var latency: Duration
        /// What came back (`AAPL 189.23 at 14:30:00`) or what went wrong.
        public var detail: String
        /// The health state the outcome implies.
        public var state: HealthState
    }

    /// - Parameter history: also probe daily history when the source offers quotes too.
    public func check(_ source: any MarketDataSource, symbol: Symbol, history: Bool = false) async -> Outcome {
        let quotes = source.capabilities.contains(.latestQuotes)
        guard quotes, history, source.capabilities.contains(.historyBars) else {
            return await checkOne(source, symbol: symbol)
        }
        let quote = await checkOne(source, symbol: symbol)
        let bars = await checkOne(source, symbol: symbol, history: true)
        let worst = quote.succeeded ? bars : quote
        return Outcome(
            source: source.id, succeeded: quote.succeeded && bars.succeeded, latency: quote.latency + bars.latency,
            detail: "quote: \(quote.detail); history: \(bars.detail)", state: worst.state)
    }

    private func checkOne(_ source: any MarketDataSource, symbol: Symbol, history: Bool = false) async -> Outcome {
        let started = timeSource.now()
        func finish(_ succeeded: Bool, _ detail: String, _ state: HealthState) -> Outcome {
            Outcome(source: source.id, succeeded: succeeded, latency: timeSource.now() - started, detail: detail, state: state)
        }
        do {
            if source.capabilities.contains(.latestQuotes) && !history {
                let quotes = try await source.latestQuotes(for: [symbol])
                guard let quote = quotes.first(where: { $0.symbol == symbol }) else {
                    return finish(false, "answered, but with no quote for \(symbol)", .degraded)
                }
                return finish(true, "\(symbol) \(Self.price(quote.price)) at \(quote.exchangeTime.clockText) UTC", .polling)
            }
            if source.capabilities.contains(.historyBars) {
                let now = timeSource.now()
                let bars = try await source.historyBars(for: symbol, timeframe: .oneDay, in: (now - .seconds(7 * 86_400))...now)
                guard let last = bars.last else {
                    return finish(false, "answered, but with no daily bars for \(symbol) in the last week", .degraded)
                }
                return finish(true, "\(symbol) closed \(Self.price(last.close)) on \(last.start.utcDateText)", .polling)
            }
            return finish(false, "offers neither quotes nor history to probe", .disabled)
        } catch let error as ProviderError {
            return finish(false, error.description, error.healthState)
        } catch {
            return finish(false, String(describing: error), .down)
        }
    }

    static func price(_ value: Double) -> String { String(format: "%.2f", value) }
}
