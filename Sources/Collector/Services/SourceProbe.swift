import Foundation

/// One request to a source to see whether it works (`ticktop sources --check`):
/// its latest quote for a symbol, or, for a source without quotes, its last
/// week of daily bars.
public struct SourceProbe: Sendable {
    public let timeSource: any TimeSource

    public init(timeSource: any TimeSource) { self.timeSource = timeSource }

    public struct Outcome: Sendable, Hashable {
        public var source: SourceID
        public var succeeded: Bool
        public var latency: Duration
        /// What came back (`AAPL 189.23 at 14:30:00`) or what went wrong.
        public var detail: String
        /// The health state the outcome implies.
        public var state: HealthState
    }

    public func check(_ source: any MarketDataSource, symbol: Symbol) async -> Outcome {
        let started = timeSource.now()
        func finish(_ succeeded: Bool, _ detail: String, _ state: HealthState) -> Outcome {
            Outcome(source: source.id, succeeded: succeeded, latency: timeSource.now() - started, detail: detail, state: state)
        }
        do {
            if source.capabilities.contains(.latestQuotes) {
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
