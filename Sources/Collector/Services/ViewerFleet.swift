import Logging
import ServiceLifecycle
import Synchronization

/// A viewer's part in the collector fleet (`ticktop --store postgres`): it reads the fleet's
/// registry (`PostgresStore.fleet(at:ttl:)`) for the COLLECTORS panel and for whether any collector
/// is alive, and asks the fleet to collect what the viewer shows (`PostgresStore.askFleet`).
/// Heartbeats do not NOTIFY, so it reads every `renew_every` on the injected clock, and at once when
/// a round of the fleet moves leases (`FleetPace`). Each read renews the asks: an ask lasts one lease
/// TTL, so the symbols of a viewer that is gone (killed, cut off) stop being wanted after the TTL.
/// On graceful shutdown it withdraws its asks at once, waiting for the store at most
/// `withdrawalGrace`: the user's quit is never held by a server that stopped answering (asks not
/// withdrawn lapse after the TTL).
package final class ViewerFleet: Service, Sendable {
    /// The longest a graceful shutdown waits for the store: for the ask in flight, then for the
    /// withdrawal.
    static let withdrawalGrace = Duration.seconds(1)

    /// How this viewer is named in `fleet_asks` (`viewer:host:pid`).
    package let viewer: String
    let store: PostgresStore
    let settings: FleetConfiguration
    let timeSource: any TimeSource
    let logger: Logger
    private let pace: FleetPace
    private let shared: Mutex<Shared>

    private struct Shared {
        var fleet: FleetSnapshot?
        /// What the viewer shows: asked for at each read.
        var asks: [Symbol]
        /// The last failure, logged once until it changes or a read works.
        var lastError: String?
        /// The last ask sent, perhaps still waiting for the store.
        var asking: Task<Void, any Error>?
    }

    /// `viewer:host:pid` of this process.
    package static var thisProcess: String { "viewer:" + FleetIdentity.thisProcess(version: "").id }

    /// - Parameter asks: the symbols the viewer shows at start (asked for once the service runs).
    package init(
        store: PostgresStore, settings: FleetConfiguration, viewer: String = ViewerFleet.thisProcess, asks: [Symbol],
        clock: any Clock<Duration>, timeSource: any TimeSource, logger: Logger
    ) {
        self.viewer = viewer
        self.store = store
        self.settings = settings
        self.timeSource = timeSource
        self.logger = logger
        pace = FleetPace(
            store: store, interval: settings.renewInterval, clock: clock, logger: logger, sleepPurpose: "fleet read",
            listenPurpose: "fleet read listen")
        shared = Mutex(Shared(asks: asks))
    }

    /// The registry as last read; nil before the first read worked.
    package var fleet: FleetSnapshot? { shared.withLock { $0.fleet } }

    /// Whether some collector is alive at `now` by the registry last read, and the newest heartbeat
    /// seen when none is. Unknown (nil) before a read, and while no collector ever joined the fleet
    /// (the store's writers are then no fleet members and nothing can be said of them).
    package func liveness(at now: Timestamp) -> (alive: Bool?, lastHeartbeat: Timestamp?) {
        guard let fleet, let last = fleet.members.map(\.heartbeatAt).max() else { return (nil, nil) }
        let alive = !fleet.alive(at: now).isEmpty
        return (alive, alive ? nil : last)
    }

    /// The viewer shows other symbols: asks the fleet for them now (and at each read from now on).
    package func ask(_ symbols: [Symbol]) {
        shared.withLock { $0.asks = symbols }
        pace.wakeNow()
    }

    package func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await self.pace.run { await self.renew() }
        }
        await withdraw()
    }

    /// Asks again for what the viewer shows, then reads the registry.
    package func renew() async {
        let now = timeSource.now()
        let asks = shared.withLock { $0.asks }
        let (store, viewer) = (store, viewer)
        do {
            // In a task of its own, which the viewer's shutdown leaves running: the withdrawal waits
            // for it (an ask landing after the withdrawal would keep its symbols wanted a lease TTL).
            let ask = Task { try await store.askFleet(for: asks, viewer: viewer, at: now) }
            shared.withLock { $0.asking = ask }
            try await DeadlineRace.value(within: store.operationTimeout) { try await ask.value }
            try await read()
        } catch {
            failed(error)
        }
    }

    /// Reads the registry once, without asking (`--once`).
    package func read() async throws(StoreError) {
        let fleet = try await store.fleet(at: timeSource.now(), ttl: settings.leaseTTL)
        shared.withLock { ($0.fleet, $0.lastError) = (fleet, nil) }
    }

    /// Withdraws this viewer's asks (graceful shutdown) after the ask in flight, waiting for the
    /// store `withdrawalGrace` at most; asks not withdrawn lapse after the TTL.
    private func withdraw() async {
        let (store, viewer, now) = (store, viewer, timeSource.now())
        let asking = shared.withLock { $0.asking }
        do {
            try await DeadlineRace.value(within: Self.withdrawalGrace) {
                _ = try? await asking?.value
                try await store.askFleet(for: [], viewer: viewer, at: now)
            }
        } catch {
            let cause =
                error is DeadlineRace.Unanswered
                ? "the store did not answer within \(Self.withdrawalGrace.components.seconds)s" : "\(error)"
            logger.warning(
                "fleet: could not withdraw this viewer's asks; they lapse after the lease TTL",
                metadata: ["viewer": "\(viewer)", "error": "\(cause)"])
        }
    }

    private func failed(_ error: any Error) {
        if Task.isCancelled { return }
        let text = "\(error)"
        let first = shared.withLock { shared in
            defer { shared.lastError = text }
            return shared.lastError != text
        }
        if first {
            logger.warning(
                "fleet: reading the collectors failed, retried every \(DurationParser.format(settings.renewInterval))",
                metadata: ["error": "\(text)"])
        }
    }
}
