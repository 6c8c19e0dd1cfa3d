import Logging
import ServiceLifecycle

/// A terminal that collects nothing and follows the shared PostgreSQL store the collectors write
/// (`ticktop --store postgres`, with or without `--once`): a `MarketState` of its own, configured
/// as a collecting terminal's (sources, thresholds), fed by a `StoreFollower`, and the fleet's
/// registry read by a `ViewerFleet` (which also asks the fleet to collect what it shows). Its
/// snapshot is the `MarketSnapshot` the board and `--once` render, with the stored alerts, how the
/// store is reached (`MarketSnapshot.follow`) and the fleet (`MarketSnapshot.fleet`).
public struct StoreViewer: Sendable {
    public let state: MarketState
    /// The PostgreSQL store followed (the detail chart reads its bars).
    public let store: any MarketStore
    /// The store's URL without the password.
    public let storeLocation: String
    package let follower: StoreFollower
    package let fleet: ViewerFleet
    /// The follower and the fleet reader, for a `ServiceGroup`.
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
        self.init(
            store: store, state: state, clock: clock, timeSource: timeSource, logger: logger,
            fleetSettings: configuration.fleet)
    }

    /// - Parameter viewer: how the viewer is named in the fleet's asks (`viewer:host:pid`).
    package init(
        store: PostgresStore, state: MarketState, clock: any Clock<Duration>, timeSource: any TimeSource, logger: Logger,
        fleetSettings: FleetConfiguration = .defaults, viewer: String = ViewerFleet.thisProcess
    ) {
        self.state = state
        self.store = store
        storeLocation = store.location
        follower = StoreFollower(store: store, state: state, clock: clock, timeSource: timeSource, logger: logger)
        fleet = ViewerFleet(
            store: store, settings: fleetSettings, viewer: viewer, asks: state.watched.symbols, clock: clock,
            timeSource: timeSource, logger: logger)
        services = [.init(service: follower, serviceName: "follow-store"), .init(service: fleet, serviceName: "fleet")]
    }

    /// The state's snapshot with the stored alerts, how the store is reached and the fleet. While
    /// the store answers and no collector of the fleet is alive, the prices are the last ones
    /// stored, not live: `follow.fleetAlive` is false and they are marked stale (`notLive`).
    public func snapshot() async -> MarketSnapshot {
        var snapshot = await state.snapshot()
        snapshot.alerts = follower.alerts
        snapshot.earlierAlerts = []
        var follow = follower.status
        if follow.unreachableSince == nil {
            // Unreachable, the registry read last says nothing of now.
            (follow.fleetAlive, follow.noCollectorSince) = fleet.liveness(at: snapshot.takenAt)
        }
        snapshot.follow = follow
        snapshot.fleet = fleet.fleet
        if follow.fleetAlive == false, let since = follow.noCollectorSince {
            Self.notLive(&snapshot, since: since)
        }
        return snapshot
    }

    /// Every value shown in an open market turns stale, saying why: nobody collects it any more.
    /// A closed market's value stays CLOSED (its last price is the close); quarantined and missing
    /// ones keep their flags. A source last stored as delivering is `not-collected` (nobody checks
    /// it now), the state stored kept in its detail.
    package static func notLive(_ snapshot: inout MarketSnapshot, since: Timestamp) {
        for index in snapshot.sources.indices where snapshot.sources[index].state.isUp {
            let stored = snapshot.sources[index].state.rawValue
            snapshot.sources[index].state = .notCollected
            snapshot.sources[index].detail = "no collector alive since \(since.clockText) UTC (last stored: \(stored))"
        }
        for index in snapshot.symbols.indices {
            switch snapshot.symbols[index].quality {
            case .clean, .disagree:
                snapshot.symbols[index].quality = .stale
                snapshot.symbols[index].staleReason = "no collector alive since \(since.clockText) UTC"
            case .noData, .quarantined, .stale, .closed:
                break
            }
        }
    }

    /// Shows other symbols: the follower reads what the store holds of them, and the fleet is asked
    /// to collect them.
    public func setSymbols(_ symbols: [Symbol]) async {
        await state.setWatchlist(symbols)
        follower.catchUpAgain()
        fleet.ask(symbols)
    }

    /// Reads everything shown from the store again (the board's `r`).
    public func readAgain() {
        follower.catchUpAgain()
    }

    /// Reads what the store holds and the fleet's registry once, without following them or asking
    /// the fleet for anything (`--once`); throws when the store cannot be read.
    public func readOnce() async throws(StoreError) -> MarketSnapshot {
        try await follower.catchUpOnce()
        try await fleet.read()
        return await snapshot()
    }
}
