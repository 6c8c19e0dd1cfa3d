import Logging
import ServiceLifecycle

/// The collector, wired from configuration: sources, the state actor, the
/// ingest pipeline, the store and its writer, and the services that run them.
/// Nothing runs until `services` are handed to a `ServiceGroup`.
public struct CollectorRuntime: Sendable {
    /// The symbols at start; the state's `watched` holds them as changed at run time.
    public let symbols: [Symbol]
    public let state: MarketState
    package let pipeline: IngestPipeline
    public let store: any MarketStore
    /// The database path, or `memory`.
    public let storeLocation: String
    package let writer: StoreWriter
    /// The tape's writer when `[store] ticks = true` (the pipeline's `tape`).
    package var tape: TapeRecorder? { pipeline.tape }
    public let backfill: BackfillProgress
    /// The sources that run (enabled, with a client in this build and their keys set).
    public let sources: [any MarketDataSource]
    /// The sources a `PollingCollector` polls, which `refreshPolledSources` can ask for a round now.
    package let polledSources: [SourceID]
    package let pollRequests: PollRequests
    /// The backfills' history requests and the pollers' quote requests under way, which a graceful
    /// shutdown drains. Two registries: each service drains its own in its turn (a poller's drain
    /// must not withdraw its source's backfill, which the group has not told to stop yet).
    package let historyRequests: ProviderRequests
    package let quoteRequests: ProviderRequests
    /// In start order. A ServiceGroup shuts down in reverse order, so the
    /// collectors stop first, then the pipeline drains, then the writer flushes.
    public let services: [ServiceGroupConfiguration.ServiceConfiguration]
    /// This collector's part in a fleet (`fleet` given at init), which decides the watched symbols.
    public let fleet: FleetCoordinator?
    /// On PostgreSQL: the spill file slot claimed in the state directory, held while the runtime lives.
    package let spillSlot: PostgresSpillSlot?
    /// Logs and stores what the runtime's own changes of the state produced.
    let recorder: OutcomeRecorder

    /// Pipeline batches merged before a write; `store.batch_size` caps the rows per transaction.
    static let batchesPerWrite = 256

    /// - Parameters:
    ///   - databasePath: overrides the configured store path (`--db`).
    ///   - faults: faults to inject into each simulated source, by source id.
    ///   - fleet: join the collector fleet on the PostgreSQL store as this collector: the symbols
    ///     are the ones it holds leases on (`FleetCoordinator`), `symbols` what it asks the fleet for.
    ///   - metrics: where the collector's metrics go (`CollectorMetrics.system`: off unless the process bootstrapped a factory).
    public init(
        configuration: TicktopConfiguration, symbols: [Symbol], databasePath: String?,
        faults: [SourceID: [SimulatedFault]], clock: any Clock<Duration>, timeSource: any TimeSource,
        environment: [String: String], transport: any HTTPTransport = AsyncHTTPTransport(),
        webSockets: (any WebSocketTransport)? = nil, fleet identity: FleetIdentity? = nil,
        metrics: CollectorMetrics = .system, logger: Logger, openedStore: PostgresStore? = nil
    ) throws(StoreError) {
        self.symbols = symbols
        if let openedStore {
            (store, storeLocation) = (openedStore, openedStore.location)  // tests: a store in a schema of its own
        } else {
            (store, storeLocation) = try Self.openStore(configuration.store, databasePath: databasePath, environment: environment)
        }
        if identity != nil, !(store is PostgresStore) {
            throw StoreError(
                operation: .open, location: storeLocation, kind: .invalidValue,
                detail: "a collector fleet shares a PostgreSQL store: set [store] kind = \"postgres\"")
        }

        let factory = ProviderFactory(
            transport: transport,
            limiters: RateLimiterRegistry(
                clock: clock, timeSource: timeSource, ledger: store as? any RequestLedger, metrics: metrics),
            clock: clock,
            timeSource: timeSource, logger: logger, environment: environment)
        var entries: [MarketState.SourceEntry] = []
        var running: [any MarketDataSource] = []
        var streams: [SourceID: [StreamSetup]] = [:]
        for source in configuration.sources {
            let sourceStreams = factory.streams(for: source, symbols: symbols)
            for stream in sourceStreams {
                guard let reason = stream.offReason else { continue }
                logger.info(
                    "live stream off",
                    metadata: [
                        "source": "\(source.id)", "stream": "\(stream.name)", "url": "\(stream.shownURL)", "reason": "\(reason)"
                    ])
            }
            let setup = Self.makeSource(source, symbols: symbols, faults: faults[source.id] ?? [], factory: factory)
            // An in-process stream is the source's only feed; a WebSocket stream runs beside a poller.
            let inProcess = sourceStreams.contains(where: \.isInProcess)
            let polled = setup.source.map { $0.capabilities.contains(.latestQuotes) && !inProcess } ?? false
            entries.append(
                .init(
                    id: source.id, kind: source.kind.rawValue, priority: source.priority, state: setup.state,
                    detail: setup.detail,
                    pollInterval: polled ? source.pollInterval : nil))
            if let client = setup.source {
                running.append(client)
                streams[source.id] = sourceStreams
            }
        }
        sources = running
        for entry in entries { metrics.sourceState(entry.id, entry.state) }

        // In a fleet, the coordinator's first round decides what this collector watches.
        state = MarketState(
            watchlist: identity == nil ? symbols : [], sources: entries, settings: .init(configuration),
            timeSource: timeSource)
        // SQLite's spill file lies beside the database; PostgreSQL's in the state directory.
        spillSlot = (store as? PostgresStore).flatMap {
            PostgresSpillSlot(for: $0, in: XDGPaths(environment: environment).stateDirectory)
        }
        writer = StoreWriter(
            store: store, state: state, batchSize: Self.batchesPerWrite, maxRowsPerWrite: configuration.store.batchSize,
            flushInterval: configuration.store.flushInterval, clock: clock, timeSource: timeSource,
            spillFor: store is SQLiteStore ? storeLocation : spillSlot?.base, metrics: metrics, logger: logger)
        recorder = OutcomeRecorder(sink: writer, logger: logger, metrics: metrics)
        let tape = configuration.store.ticks ? (store as? any TickStore).map {
            TapeRecorder(
                store: $0, batchSize: configuration.store.batchSize, linger: configuration.store.flushInterval, clock: clock,
                logger: logger)
        } : nil
        pipeline = IngestPipeline(
            state: state, sink: writer, validator: Self.validator(for: configuration), timeSource: timeSource,
            tape: tape, metrics: metrics, logger: logger)
        backfill = BackfillProgress(sources: running.filter { $0.capabilities.contains(.historyBars) }.map(\.id))

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: IngestService(pipeline: pipeline, writer: writer), serviceName: "ingest")
        ]
        let webSocketTransport = webSockets ?? HummingbirdWebSocketTransport(logger: logger)
        var polledIDs: [SourceID] = []
        let requests = PollRequests()
        pollRequests = requests
        // The backfills' history requests under way, which a fleet hand-over settles.
        // One drain deadline for the whole shutdown, however many services wait for a request.
        let deadline = DrainDeadline()
        let history = ProviderRequests(deadline: deadline)
        historyRequests = history
        let quotes = ProviderRequests(deadline: deadline)
        quoteRequests = quotes
        let depth = BackfillService.Depth(
            dailyDays: configuration.collect.backfillDailyDays, minuteDays: configuration.collect.backfillMinuteDays,
            recentMinuteBars: configuration.collect.recentBars)
        for source in running {
            if source.capabilities.contains(.historyBars) {
                let limit = configuration.sources.first { $0.id == source.id }?.rateLimit
                let service = BackfillService(
                    source: source, watched: state.watched, store: store, state: state, pipeline: pipeline,
                    progress: backfill, depth: depth.affordable(within: limit), timeSource: timeSource, clock: clock,
                    logger: logger, history: history)
                services.append(
                    .init(service: service, successTerminationBehavior: .ignore, serviceName: "backfill-\(source.id.rawValue)"))
            }
            if streams[source.id]?.contains(where: \.isInProcess) == true {
                // Nothing is dialled: the backoff needs no jitter.
                var service = LiveStreamService(
                    inProcess: source, watched: state.watched, pipeline: pipeline, clock: clock, timeSource: timeSource,
                    settings: LiveStreamSettings(backoff: RetryBackoff(), jitter: { $0 }), logger: logger)
                service.metrics = metrics
                services.append(.init(service: service, serviceName: "stream-\(source.id.rawValue)"))
            } else if source.capabilities.contains(.latestQuotes) {
                let settings = configuration.sources.first { $0.id == source.id }
                let interval = settings?.pollInterval ?? .seconds(15)
                // A source with live streams polls only the symbols no connected stream covers.
                var lives: [LiveStreamService] = []
                for stream in streams[source.id] ?? [] {
                    guard let provider = stream.provider else { continue }
                    var live = LiveStreamService(
                        provider: provider, transport: webSocketTransport, watched: state.watched, pipeline: pipeline,
                        clock: clock, timeSource: timeSource,
                        settings: LiveStreamSettings(
                            staleAfter: settings?.staleStreamAfter ?? .seconds(30), pollingFallback: true),
                        logger: logger)
                    live.metrics = metrics
                    lives.append(live)
                    services.append(.init(service: live, serviceName: stream.name))
                }
                let service = PollingCollector(
                    source: source, watched: state.watched, pipeline: pipeline, clock: clock, timeSource: timeSource,
                    interval: interval, standInFor: lives.map(\.status), requests: requests, sent: quotes, logger: logger)
                services.append(.init(service: service, serviceName: "poll-\(source.id.rawValue)"))
                polledIDs.append(source.id)
            }
        }
        polledSources = polledIDs
        services.append(
            .init(
                service: AlertMonitor(state: state, sink: writer, store: store, clock: clock, metrics: metrics, logger: logger),
                serviceName: "alert-monitor"))
        if store is SQLiteStore, let every = configuration.store.backupEvery {
            let directory = BackupService.directory(
                for: configuration.store, databasePath: storeLocation, paths: XDGPaths(environment: environment))
            let backups = BackupService(
                databasePath: storeLocation, directory: directory, every: every, keep: configuration.store.backupKeep,
                clock: clock, timeSource: timeSource, logger: logger)
            services.append(.init(service: backups, serviceName: "backup"))
        }
        if let identity, let postgres = store as? PostgresStore {
            let member = FleetMember(
                id: identity.id, host: identity.host, pid: identity.pid, version: identity.version,
                startedAt: timeSource.now(), heartbeatAt: timeSource.now(), sources: running.map(\.id), watchlist: symbols)
            let (state, recorder, pipeline, writer) = (state, recorder, pipeline, writer)
            let coordinator = FleetCoordinator(
                member: member, store: postgres, settings: configuration.fleet, clock: clock, timeSource: timeSource,
                logger: logger, metrics: metrics,
                flush: {
                    // Once the batches queued before it are applied (an empty batch waits behind
                    // them), what they gave the writer is written, unless writes fail.
                    await pipeline.sendAndWait(IngestBatch())
                    await writer.flushed()
                    return writer.current.rowsWaiting == 0
                }, history: history
            ) { held in recorder.record(await state.setWatchlist(held)) }
            // First, so that it stops last: leases are handed over after the writer has flushed.
            services.insert(.init(service: coordinator, serviceName: "fleet"), at: 0)
            // Last, so that it hears the shutdown first: no new symbols while the others stop.
            services.append(.init(service: coordinator.drainNotice, serviceName: "fleet-drain"))
            fleet = coordinator
        } else {
            fleet = nil
        }
        self.services = services
    }

    /// The configured validator (version 1 and the enabled version 2 rules). The
    /// simulated market trades around the clock by design and replays are
    /// retimed to now, so their sessions count as always open.
    public static func validator(for configuration: TicktopConfiguration) -> Validator {
        let aroundTheClock = configuration.sources.filter { $0.kind == .simulated || $0.kind == .replay }.map(\.id)
        return Validator(configuration: configuration.validation, aroundTheClock: Set(aroundTheClock))
    }

    /// The configured store (or the database at `databasePath`) and where it is (a path, or `memory`).
    /// `readOnly` opens an existing database for reading only (for commands that only read).
    public static func openStore(
        _ configuration: StoreConfiguration, databasePath: String?, environment: [String: String], readOnly: Bool = false
    ) throws(StoreError) -> (any MarketStore, String) {
        switch configuration.kind {
        case .memory:
            return (InMemoryStore(), "memory")
        case .sqlite:
            let paths = XDGPaths(environment: environment)
            let path = databasePath.map(paths.expandingTilde) ?? paths.databasePath(for: configuration)
            let synchronous: SQLiteStore.Synchronous = configuration.synchronous == .full ? .full : .normal
            let store = try SQLiteStore(path: path, synchronous: synchronous, readOnly: readOnly, maxSize: configuration.maxSize)
            return (store, path)        case .postgres:
            let store = try PostgresStore(configuration, environment: environment)
            return (store, store.location)
        }
    }

    /// Changes the watched symbols at run time: the state shows them in this
    /// order, streams resubscribe, and added symbols are backfilled.
    public func setSymbols(_ symbols: [Symbol]) async {
        recorder.record(await state.setWatchlist(symbols))
    }

    /// Builds the client for one configured source, or says why there is none.
    public static func makeSource(
        _ configuration: SourceConfiguration, symbols: [Symbol], faults: [SimulatedFault], factory: ProviderFactory
    ) -> ProviderFactory.Setup {
        guard configuration.kind == .simulated else { return factory.make(configuration) }
        guard configuration.enabled else { return .init(state: .disabled, detail: "disabled in the configuration") }
        let settings = configuration.simulation ?? .defaults
        let source = SimulatedSource(
            id: configuration.id, seed: settings.seed, symbols: symbols, tickInterval: settings.tickInterval,
            clock: factory.clock, timeSource: factory.timeSource, faults: faults)
        return .init(source: source, state: .starting, detail: "simulated market, seed \(settings.seed)")
    }
}
