import Synchronization

/// Whether a source's live stream is connected, and the symbols it is subscribed to; the
/// source's poller skips the symbols a connected stream covers (polling stands in for the rest).
public final class StreamStatus: Sendable {
    private let connected = Atomic(false)
    private let openedCount = Atomic(0)
    private let subscribed = Mutex<Set<Symbol>>([])

    public init() {}

    public var isConnected: Bool { connected.load(ordering: .acquiring) }

    /// Connections opened so far (upgraded, whether or not they went live).
    public var opened: Int { openedCount.load(ordering: .acquiring) }

    /// Whether the stream is connected and subscribed to `symbol` (its values come from the stream).
    public func covers(_ symbol: Symbol) -> Bool {
        isConnected && subscribed.withLock { $0.contains(symbol) }
    }

    func set(_ value: Bool) { connected.store(value, ordering: .releasing) }

    /// The symbols subscribed on the open connection.
    func setSubscribed(_ symbols: Set<Symbol>) { subscribed.withLock { $0 = symbols } }

    func countOpened() { openedCount.add(1, ordering: .releasing) }
}
