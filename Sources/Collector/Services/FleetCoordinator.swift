import Logging
import ServiceLifecycle
import Synchronization

/// This collector's part in a fleet sharing one PostgreSQL store (`ticktop collect`): every
/// `renew_every` (on the injected clock) one round heartbeats, renews its leases and rebalances
/// (`PostgresStore.fleetRound`); the symbols it then holds become the watchlist (through `apply`,
/// i.e. `MarketState.setWatchlist`, which streams, pollers and backfill follow) and their tokens
/// the store's `LeaseFence`, which every write is checked against. Its configured watchlist is
/// what it asks the fleet to collect; viewers add theirs with `PostgresStore.askFleet(for:)`.
///
/// A round that moves leases notifies the fleet (LISTEN/NOTIFY), and every coordinator runs its
/// own round at once: a joining collector's share, a drained collector's symbols and a takeover are
/// collected by their new holders without waiting for the next renewal.
///
/// A symbol the fleet moves to a joining collector is handed over in two steps: this collector
/// stops collecting it (`apply`), writes what it holds (`flush`: the pipeline and the store
/// writer), and only then gives the lease to its successor, so no row of it is fenced. While the
/// flush makes progress its leases are renewed, however long it takes (`flushKeepingLeases`).
///
/// On graceful shutdown it first says it is draining (`FleetDrainNotice`, the last service, hears
/// the shutdown first): the fleet gives it no more symbols while the other services stop. It
/// leaves the fleet last (it is the first service, so it stops after the writer has flushed): its
/// leases go to the live collectors at once. A failed round is logged and
/// retried at the next; meanwhile the leases it had stay until they expire, and fencing keeps a
/// collector that lost them from writing. Its `standing` says how the rounds go: rounds failing for
/// a renewal interval make `/healthz` unhealthy (`FleetStanding`); the first failure and the
/// recovery are logged, and the metrics count failures and give the last good round's time.
public final class FleetCoordinator: Service, Sendable {
    /// This collector in the registry (its heartbeat time is set each round).
    package let member: FleetMember
    let store: PostgresStore
    let settings: FleetConfiguration
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let apply: @Sendable ([Symbol]) async -> Void
    let flush: @Sendable () async -> Bool
    /// The backfills' history requests under way: a hand-over settles those of its symbols first.
    let history: ProviderRequests
    let logger: Logger
    let metrics: CollectorMetrics
    private let latest = Mutex<Latest>(Latest())
    /// A round every `renew_every`, and at once when another round moved leases.
    private let pace: FleetPace

    private struct Latest {
        var fleet: FleetSnapshot?
        var held: [Symbol] = []
        var lastError: String?
        var lastRoundAt: Timestamp?
        var failingSince: Timestamp?
        var failure: String?
        /// The log has said this collector is out of the fleet (reset when a round works).
        var saidOut = false
        /// Shutting down: the rounds ask for no new symbols.
        var draining = false

        func standing(renewInterval: Duration) -> FleetStanding {
            FleetStanding(
                lastRoundAt: lastRoundAt, failingSince: failingSince, failure: failure, held: held.count,
                renewInterval: renewInterval)
        }
    }

    /// - Parameters:
    ///   - member: who this collector is: id, host, pid, version, start, sources, and its
    ///     configured watchlist (what it asks the fleet for).
    ///   - flush: returns once what was collected so far is written, or kept to be retried (false:
    ///     rows wait for the store, and a hand-over waits for them).
    ///   - history: the backfills' requests under way; a hand-over waits for those of its symbols
    ///     that are spent (stopped before a further page) and withdraws those waiting for budget
    ///     before it flushes.
    ///   - apply: takes the symbols this collector holds, in watchlist order, whenever they change.
    package init(
        member: FleetMember, store: PostgresStore, settings: FleetConfiguration, clock: any Clock<Duration>,
        timeSource: any TimeSource, logger: Logger, metrics: CollectorMetrics = .off,
        flush: @escaping @Sendable () async -> Bool = { true }, history: ProviderRequests = ProviderRequests(),
        apply: @escaping @Sendable ([Symbol]) async -> Void
    ) {
        self.member = member
        self.history = history
        self.flush = flush
        self.store = store
        self.settings = settings
        self.clock = clock
        self.timeSource = timeSource
        self.apply = apply
        self.logger = logger
        self.metrics = metrics
        pace = FleetPace(
            store: store, interval: settings.renewInterval, clock: clock, logger: logger, sleepPurpose: "fleet round",
            listenPurpose: "fleet listen")
    }

    /// The fleet as the last round read it (nil before the first round succeeded).
    public var fleet: FleetSnapshot? { latest.withLock { $0.fleet } }

    /// The symbols this collector holds leases on, in watchlist order.
    public var held: [Symbol] { latest.withLock { $0.held } }

    /// How the rounds go: what `/healthz` judges (`FleetStanding.problem(at:)`).
    public var standing: FleetStanding {
        latest.withLock { $0.standing(renewInterval: settings.renewInterval) }
    }

    /// The graceful shutdown began: from the next round on (run at once) the fleet gives this
    /// collector no new symbols; it keeps its own until it leaves.
    package func beginDrain() {
        latest.withLock { $0.draining = true }
        pace.wakeNow()
        logger.info("fleet: draining, no new symbols taken", metadata: ["collector": "\(member.id)"])
    }

    public func run() async {
        try? await cancelWhenGracefulShutdown {
            try await self.pace.run { await self.round() }
        }
        await leave()
    }

    /// One round now: heartbeat, renew, rebalance, then follow what this collector holds.
    package func round() async {
        var heartbeat = member
        heartbeat.heartbeatAt = timeSource.now()
        let (draining, cutOff) = latest.withLock { ($0.draining, $0.failingSince != nil) }
        do {
            // In a task of its own, which the shutdown does not cancel: a round cut short would
            // leave its result unread (the store's deadline bounds it).
            // Cut off from the store since an earlier round: a silence of everyone else as long
            // counts as the store's outage (`fleetRound`).
            let (store, ttl, silence, beat) = (store, settings.leaseTTL, cutOff ? settings.silenceAfter : nil, heartbeat)
            var round = try await Task {
                try await store.fleetRound(beat, ttl: ttl, silenceAfter: silence, draining: draining)
            }.value
            // Symbols this collector held that the fleet now leases to others were taken (their
            // leases lapsed): their rows still on the way are losses (`LeaseFence`).
            let before = store.fence.current
            let gone = Set((before?.tokens ?? [:]).keys).subtracting(round.held.keys).subtracting(before?.givingUp ?? [])
            setFence(round.held, lost: gone.intersection(round.leased))
            // Symbols still held only so that their waiting rows can be written: not collected.
            var waiting: Set<Symbol> = []
            if !round.giving.isEmpty {
                // Two-step hand-over: stop collecting them, write what is held for them, give them up.
                let keeping = ordered(round.held.keys.filter { !round.giving.contains($0) })
                latest.withLock { $0.held = keeping }
                await apply(keeping)
                let giving = round.giving
                let names = giving.map(\.rawValue).sorted().joined(separator: ",")
                if await flushKeepingLeases(giving) {
                    // Written: a late row of them is written until the successor has the lease, then
                    // fenced as a straggler, not a loss.
                    setFence(round.held, givingUp: giving)
                    let handed = try await Task { try await store.fleetHandOver(giving, from: beat, ttl: ttl) }.value
                    for symbol in handed { round.held[symbol] = nil }
                    setFence(round.held)
                    logger.info(
                        "fleet: handed \(handed.count) symbols over after writing what it held for them",
                        metadata: [
                            "collector": "\(member.id)", "symbols": "\(handed.map(\.rawValue).sorted().joined(separator: ","))"
                        ])
                } else {
                    waiting = giving
                    // Their rows wait for the store: the leases stay (so those rows can still be
                    // written) until a later round finds them written, or a lease TTL has passed.
                    logger.info(
                        "fleet: \(giving.count) symbols to hand over wait until their rows are written",
                        metadata: ["collector": "\(member.id)", "symbols": "\(names)"])
                }
            }
            let symbols = ordered(round.held.keys.filter { !waiting.contains($0) })
            let ended = timeSource.now()
            let (changed, wasFailingSince) = latest.withLock { latest in
                defer {
                    (latest.fleet, latest.held, latest.lastError) = (round.fleet, symbols, nil)
                    (latest.lastRoundAt, latest.failingSince, latest.failure, latest.saidOut) = (ended, nil, nil, false)
                }
                return (latest.held != symbols || latest.fleet == nil, latest.failingSince)
            }
            metrics.fleetRound(at: ended, held: symbols.count)
            if let since = wasFailingSince {
                logger.notice(
                    "fleet: rounds work again after failing since \(since.utcDateText) \(since.clockText) UTC",
                    metadata: ["collector": "\(member.id)"])
            }
            if changed {
                logger.info(
                    "fleet: holding \(symbols.count) symbols",
                    metadata: [
                        "collector": "\(member.id)", "live": "\(round.fleet.alive(at: heartbeat.heartbeatAt).count)",
                        "wanted": "\(round.fleet.wanted)"
                    ])
                await apply(symbols)
            }
        } catch {
            // Shutting down in the middle of a round is no failure: `leave` follows.
            if Task.isCancelled { return }
            let text = "\(error)"
            let failed = timeSource.now()
            let renewal = settings.renewInterval
            let (first, out) = latest.withLock { latest in
                let first = latest.lastError != text
                (latest.lastError, latest.failure) = (text, Self.cause(of: error))
                if latest.failingSince == nil { latest.failingSince = failed }
                guard !latest.saidOut, let problem = latest.standing(renewInterval: renewal).problem(at: failed) else {
                    return (first, String?.none)
                }
                latest.saidOut = true
                return (first, problem)
            }
            metrics.fleetRoundFailed()
            if first {
                logger.warning(
                    "fleet: round failed, retried every \(DurationParser.format(renewal))", metadata: ["error": "\(text)"])
            }
            if let out {
                // What /healthz says from now on, said once in the log.
                logger.warning("fleet: \(out); /healthz answers 503 until a round works", metadata: ["collector": "\(member.id)"])
            }
        }
    }

    /// The hand-over's `flush`, after the history requests of the symbols `giving` up are settled
    /// (the spent ones, stopped before a further page, have sent the bars of their answered pages
    /// to the pipeline: the successor, planning from what is stored, does not ask for them again), during which this collector stays in the fleet as long
    /// as it makes progress: every `renew_every` on the clock, when the store has committed a write of this
    /// process since the last look, its heartbeat, leases and hand-overs are renewed
    /// (`fleetRenew`), so a flush longer than the lease TTL (a start-up backfill still being
    /// written) is not cut by it and the rows it writes are not fenced. A flush that makes no
    /// progress (the store takes no write) renews nothing: a TTL after the round, the symbols are
    /// taken over, as from a dead holder.
    private func flushKeepingLeases(_ giving: Set<Symbol>) async -> Bool {
        let (store, clock, every, ttl, logger) = (store, clock, settings.renewInterval, settings.leaseTTL, logger)
        return await withTaskGroup(of: Bool?.self) { group in
            group.addTask {
                await self.history.settle(giving)
                return await self.flush()
            }
            group.addTask {
                var seen = store.writesCommitted
                while true {
                    do {
                        try await clock.sleep(for: every, purpose: Self.handOverPurpose)
                    } catch {
                        return nil  // the flush ended
                    }
                    let committed = store.writesCommitted
                    guard committed != seen else { continue }
                    seen = committed
                    var beat = self.member
                    beat.heartbeatAt = self.timeSource.now()
                    do {
                        try await store.fleetRenew(beat, ttl: ttl)
                        logger.debug("fleet: hand-over still writing; leases renewed", metadata: ["collector": "\(beat.id)"])
                    } catch {
                        logger.warning(
                            "fleet: could not renew the leases during a hand-over",
                            metadata: ["collector": "\(beat.id)", "error": "\(error)"])
                    }
                }
            }
            var flushed = false
            while let next = await group.next() {
                guard let result = next else { continue }
                flushed = result
                group.cancelAll()
            }
            return flushed
        }
    }

    /// What the hand-over's renewals sleep for on the clock (tests wait for it by name).
    package static let handOverPurpose = "fleet hand-over"

    /// Leaves the fleet (graceful drain): marks this collector stopped and hands its leases to the
    /// live collectors in one transaction; later writes of this process are fenced.
    package func leave() async {
        var heartbeat = member
        heartbeat.heartbeatAt = timeSource.now()
        setFence([:])
        do {
            let round = try await store.fleetRound(heartbeat, ttl: settings.leaseTTL, leaving: true)
            let ended = timeSource.now()
            latest.withLock { latest in
                (latest.fleet, latest.held) = (round.fleet, [])
                (latest.lastRoundAt, latest.failingSince, latest.failure, latest.saidOut) = (ended, nil, nil, false)
            }
            metrics.fleetRound(at: ended, held: 0)
            logger.info("fleet: left, leases handed over", metadata: ["collector": "\(member.id)"])
        } catch {
            let failed = timeSource.now()
            latest.withLock { latest in
                if latest.failingSince == nil { latest.failingSince = failed }
                latest.failure = Self.cause(of: error)
            }
            metrics.fleetRoundFailed()
            logger.warning(
                "fleet: could not hand the leases over; the others take them after the lease TTL",
                metadata: ["collector": "\(member.id)", "error": "\(error)"])
        }
    }

    /// What this process's writes are checked against from now on: `tokens` (`givingUp` of them
    /// being handed over), and the symbols lost so far plus `lost` (less those held again).
    private func setFence(_ tokens: [Symbol: Int64], lost: Set<Symbol> = [], givingUp: Set<Symbol> = []) {
        let before = store.fence.current?.lost ?? []
        store.fence.update(
            LeaseFence.Held(
                holder: member.id, tokens: tokens, lost: before.union(lost).subtracting(tokens.keys), givingUp: givingUp))
    }

    /// The one who tells the coordinator that the graceful shutdown began: placed last among the
    /// services, it hears it first, while the others still stop one by one (`beginDrain`).
    package var drainNotice: some Service { FleetDrainNotice(coordinator: self) }

    /// A failure in a few words (`store unreachable`, or the store's message).
    private static func cause(of error: any Error) -> String { (error as? StoreError)?.cause ?? "\(error)" }

    /// The configured watchlist's order first, then the symbols others asked for, alphabetically.
    private func ordered(_ symbols: some Sequence<Symbol>) -> [Symbol] {
        let held = Set(symbols)
        let own = member.watchlist.filter(held.contains)
        return own + held.subtracting(own).sorted()
    }
}

/// Says `beginDrain` to its coordinator when the graceful shutdown reaches it, then ends.
struct FleetDrainNotice: Service {
    let coordinator: FleetCoordinator

    func run() async {
        do {
            try await gracefulShutdown()
            coordinator.beginDrain()
        } catch {
            // Cancelled, not drained: the coordinator leaves on its own shutdown.
        }
    }
}
