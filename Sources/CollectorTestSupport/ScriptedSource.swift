import Collector
import Synchronization

/// A source whose live connections follow a script, for testing collectors:
/// each call to `liveStream` plays the next script. A script that ends
/// without `.fail` or `.end` keeps the stream open until it is cancelled.
public final class ScriptedSource: MarketDataSource, Sendable {
    public enum Step: Sendable {
        case events([MarketEvent])
        case fail(SourceError)
        case end
    }

    public let id: SourceID
    public let kind = "scripted"
    public let capabilities: SourceCapabilities
    private let scripts: Mutex<[[Step]]>
    private let connections = Mutex<[[Symbol]]>([])
    private let history: [Bar]
    private let historyCalls = Mutex<[ClosedRange<Timestamp>]>([])

    public init(id: SourceID = "scripted", connections: [[Step]] = [], history: [Bar] = []) {
        self.id = id
        self.scripts = Mutex(connections)
        self.history = history
        capabilities = history.isEmpty ? [] : [.historyBars]
    }

    /// How many times `liveStream` was called.
    public var connectionCount: Int { connections.withLock { $0.count } }

    /// The symbols of each `liveStream` call, in order.
    public var subscriptions: [[Symbol]] { connections.withLock { $0 } }

    /// The ranges `historyBars` was asked for, in order.
    public var historyRequests: [ClosedRange<Timestamp>] { historyCalls.withLock { $0 } }

    public func liveStream(for symbols: [Symbol]) -> AsyncThrowingStream<[MarketEvent], any Error> {
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

    public func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws
        -> [Bar]
    {
        historyCalls.withLock { $0.append(range) }
        return history.filter { $0.symbol == symbol && $0.timeframe == timeframe && range.contains($0.start) }
    }
}
