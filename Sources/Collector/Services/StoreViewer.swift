import Logging
import ServiceLifecycle

/// A terminal that collects nothing and follows the shared PostgreSQL store the collectors write
/// (`ticktop --store postgres`, with or without `--once`): a `MarketState` of its own, configured
/// as a collecting terminal's (sources, thresholds), fed by a `StoreFollower`. Its snapshot is the
/// `MarketSnapshot` the board and `--once` render, with the stored alerts and how the store is
/// reached (`MarketSnapshot.follow`).
public struct StoreViewer: Sendable {
    public let state: MarketState
    /// The PostgreSQL store followed (the detail chart reads its bars).
    public let store: any MarketStore
    /// The store's URL without the password.
    public let storeLocation: String
    package let follower: StoreFollower
    /// The follower, for a `ServiceGroup`.
    public let services: [ServiceGroupConfiguration.ServiceConfiguration]

    /// The viewer of the store `[store]` configures (it must be `kind = "postgres"`), showing `symbols`.
    public init(
        configuration: TicktopConfiguration, symbols: [Symbol], clock: any Clock<Duration>, timeSource: any TimeSource,
        environment: [String: String], logger: Logger
    ) throws(StoreError) {
        guard configuration.store.kind == .postgres else {
            throw StoreError(
                operation: .open, location: "store.kind", kind: .invalidValue,
                detail: "following a store needs a shared PostgreSQL store: set [store] kind = \"postgres\" and url_env")
        }
        let store = try PostgresStore(configuration.store, environment: environment, timeSource: timeSource)
        let entries = configuration.sources.map { source in
            MarketState.SourceEntry(
                id: source.id, kind: source.kind.rawValue, priority: source.priority,
                state: source.enabled ? .starting : .disabled,
                detail: source.enabled ? "nothing stored about it yet" : "disabled in the configuration")
        }
        let state = MarketState(watchlist: symbols, sources: entries, settings: .init(configuration), timeSource: timeSource)
        self.init(store: store, state: state, clock: clock, timeSource: timeSource, logger: logger)
    }

    package init(
        store: PostgresStore, state: MarketState, clock: any Clock<Duration>, timeSource: any TimeSource, logger: Logger
    ) {
        self.state = state
        self.store = store
        storeLocation = store.location
        follower = StoreFollower(store: store, state: state, clock: clock, timeSource: timeSource, logger: logger)
        services = [.init(service: follower, serviceName: "follow-store")]
    }

    /// The state's snapshot with the stored alerts and how the store is reached.
    public func snapshot() async -> MarketSnapshot {
        var snapshot = await state.snapshot()
        snapshot.alerts = follower.alerts
        snapshot.earlierAlerts = []
        snapshot.follow = follower.status
        return snapshot
    }

    /// Shows other symbols: the follower reads what the store holds of them.
    public func setSymbols(_ symbols: [Symbol]) async {
        await state.setWatchlist(symbols)
        follower.catchUpAgain()
    }

    /// Reads everything shown from the store again (the board's `r`).
    public func readAgain() {
        follower.catchUpAgain()
    }

    /// Reads what the store holds once, without following it (`--once`); throws when it cannot be read.
    public func readOnce() async throws(StoreError) -> MarketSnapshot {
        try await follower.catchUpOnce()
        return await snapshot()
    }
}
