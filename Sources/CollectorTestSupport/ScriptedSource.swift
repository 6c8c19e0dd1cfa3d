import Collector
import Synchronization

/// A source whose live connections follow a script, for testing collectors:
/// each call to `liveStream` plays the next script. A script that ends
/// without `.fail` or `.end` keeps the stream open until it is cancelled.
package final class ScriptedSource: MarketDataSource, Sendable {
    package enum Step: Sendable {
        case events([MarketEvent])
        case fail(ProviderError)
        case end
    }

    package let id: SourceID
    package let kind = "scripted"
    package let capabilities: SourceCapabilities
    private let scripts: Mutex<[[Step]]>
    private let connections = Mutex<[[Symbol]]>([])
    private let history: [Bar]
    private let historyCalls = Mutex<[ClosedRange<Timestamp>]>([])
    private let historyCallSymbols = Mutex<[Symbol]>([])
    private let onHistoryRequest: (@Sendable (Symbol) -> Void)?

    /// `onHistoryRequest` runs at each `historyBars` call, before it answers (a test's hook).
    package init(
        id: SourceID = "scripted", connections: [[Step]] = [], history: [Bar] = [],
        onHistoryRequest: (@Sendable (Symbol) -> Void)? = nil
    ) {
        self.id = id
        self.onHistoryRequest = onHistoryRequest
        self.scripts = Mutex(connections)
        self.history = history
        capabilities = history.isEmpty ? [] : [.historyBars]
    }

    /// How many times `liveStream` was called.
    package var connectionCount: Int { connections.withLock { $0.count } }

    /// The symbols of each `liveStream` call, in order.
    package var subscriptions: [[Symbol]] { connections.withLock { $0 } }

    /// The ranges `historyBars` was asked for, in order.
    package var historyRequests: [ClosedRange<Timestamp>] { historyCalls.withLock { $0 } }

    /// The symbol of each `historyBars` call, in order.
    package var historySymbols: [Symbol] { historyCallSymbols.withLock { $0 } }

    package func liveStream(for symbols: [Symbol]) -> AsyncThrowingStream<[MarketEvent], any Error> {
        connections.withLock { $0.append(symbols) }
        let script = scripts.withLock { $0.isEmpty ? [] : $0.removeFirst() }
        return AsyncThrowingStream { continuation in
            for step in script {
                switch step {
                case .events(let events): continuation.yield(events)
                case .fail(let error):
                    continuation.finish(throwing: error)
                    return
                case .end:
                    continuation.finish()
                    return
                }
            }
        }
    }

    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws
        -> [Bar]
    {
        historyCalls.withLock { $0.append(range) }
        historyCallSymbols.withLock { $0.append(symbol) }
        onHistoryRequest?(symbol)
        return history.filter { $0.symbol == symbol && $0.timeframe == timeframe && range.contains($0.start) }
    }
}
