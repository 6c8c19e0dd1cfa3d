import Synchronization

/// Whether a source's live stream is connected and subscribed; the source's poller
/// skips its rounds while it is (polling is the fallback while the stream is down).
public final class StreamStatus: Sendable {
    private let connected = Atomic(false)
    private let openedCount = Atomic(0)

    public init() {}

    public var isConnected: Bool { connected.load(ordering: .acquiring) }

    /// Connections opened so far (upgraded, whether or not they went live).
    public var opened: Int { openedCount.load(ordering: .acquiring) }

    func set(_ value: Bool) { connected.store(value, ordering: .releasing) }

    func countOpened() { openedCount.add(1, ordering: .releasing) }
}
