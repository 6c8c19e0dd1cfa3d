import CoreMetrics
import Metrics

/// The collector's metrics, recorded through swift-metrics where the events happen (the ingest
/// pipeline, the store writer, the outcome recorder, the rate limiters). `ticktop collect`
/// bootstraps a Prometheus factory and serves them on `/metrics`; the board, `--once` and the
/// tests bootstrap nothing, so `system` is off and every call returns at once.
///
/// The names and what each one counts are listed in the README ("Running a collector fleet").
/// A name always carries the same label names (Prometheus refuses a family that mixes them).
public struct CollectorMetrics: Sendable {
    /// Nil when off.
    private let factory: (any MetricsFactory)?

    /// Records into `factory` (a test's `TestMetrics`).
    package init(factory: any MetricsFactory) { self.factory = factory }

    private init() { factory = nil }

    /// Records nothing.
    package static let off = CollectorMetrics()

    /// False when off: a caller can skip working out what it would record.
    var isOn: Bool { factory != nil }

    /// The process's factory (`MetricsSystem.bootstrap`), or off when nobody bootstrapped one.
    public static var system: CollectorMetrics {
        let factory = MetricsSystem.factory
        return factory is NOOPMetricsHandler ? .off : CollectorMetrics(factory: factory)
    }

    /// Makes `factory` the process's metrics factory (`MetricsSystem.bootstrap`): call once, before
    /// building the runtime, whose parts read `system` when they are made.
    public static func bootstrap(_ factory: any MetricsFactory) {
        MetricsSystem.bootstrap(factory)
    }

    /// The metric names (Prometheus conventions: `_total` for counters, base units).
    package enum Name {
        package static let streamIn = "ticktop_stream_messages_in_total"
        package static let streamOut = "ticktop_stream_messages_out_total"
        package static let valuesIn = "ticktop_values_in_total"
        package static let valuesOut = "ticktop_values_out_total"
        package static let anomalies = "ticktop_anomalies_total"
        package static let ingestQueue = "ticktop_ingest_queue_batches"
        package static let rowsWritten = "ticktop_store_rows_written_total"
        package static let writeDuration = "ticktop_store_write_duration_seconds"
        package static let writeFailures = "ticktop_store_write_failures_total"
        package static let rowsWaiting = "ticktop_store_rows_waiting"
        package static let rowsDropped = "ticktop_store_rows_dropped_total"
        package static let sourceState = "ticktop_source_state"
        package static let budgetRemaining = "ticktop_rate_limit_remaining"
        package static let budgetCapacity = "ticktop_rate_limit_capacity"
        package static let fleetHeld = "ticktop_fleet_symbols_held"
        package static let fleetLastRound = "ticktop_fleet_last_round_timestamp_seconds"
        package static let fleetRoundFailures = "ticktop_fleet_round_failures_total"
    }

    // MARK: - Streams

    /// One stream's message counters, made once per service: a message is too frequent to look
    /// its counter up each time.
    package struct StreamMessages: Sendable {
        private let received: (any CounterHandler)?
        private let sent: (any CounterHandler)?

        init(received: (any CounterHandler)?, sent: (any CounterHandler)?) {
            self.received = received
            self.sent = sent
        }

        /// A frame (or an in-process source's batch of values) came in.
        func receivedOne() { received?.increment(by: 1) }
        /// A frame (authentication, subscription, ...) went out.
        func sentOne() { sent?.increment(by: 1) }
    }

    /// The message counters of `source`'s stream.
    func streamMessages(source: SourceID) -> StreamMessages {
        guard let factory else { return StreamMessages(received: nil, sent: nil) }
        let dimensions = [("source", source.rawValue)]
        return StreamMessages(
            received: factory.makeCounter(label: Name.streamIn, dimensions: dimensions),
            sent: factory.makeCounter(label: Name.streamOut, dimensions: dimensions))
    }

    // MARK: - Ingest

    /// A batch reached the pipeline (`received`) and its valid values went on to the state (`accepted`).
    func ingested(received: [MarketEvent], accepted: [MarketEvent], anomalies: [Anomaly]) {
        guard let factory else { return }
        for (source, count) in Self.countBySource(received) {
            Counter(label: Name.valuesIn, dimensions: [("source", source)], factory: factory).increment(by: count)
        }
        for (source, count) in Self.countBySource(accepted) {
            Counter(label: Name.valuesOut, dimensions: [("source", source)], factory: factory).increment(by: count)
        }
        for anomaly in anomalies {
            Counter(
                label: Name.anomalies, dimensions: [("rule", anomaly.rule), ("source", anomaly.source.rawValue)],
                factory: factory
            ).increment()
        }
    }

    /// Batches waiting for the pipeline now (not counted when off).
    func ingestQueue(_ batches: @autoclosure () -> Int) {
        guard let factory else { return }
        Gauge(label: Name.ingestQueue, factory: factory).record(batches())
    }

    private static func countBySource(_ events: [MarketEvent]) -> [(String, Int)] {
        var counts: [SourceID: Int] = [:]
        for event in events { counts[event.source, default: 0] += 1 }
        return counts.map { ($0.key.rawValue, $0.value) }
    }

    // MARK: - Store

    /// The store's failure and drop counters and its backlog at zero, so they are scraped before anything fails.
    func storeStarted() {
        guard let factory else { return }
        Counter(label: Name.writeFailures, factory: factory).increment(by: 0)
        Counter(label: Name.rowsDropped, factory: factory).increment(by: 0)
        Gauge(label: Name.rowsWaiting, factory: factory).record(0)
    }

    /// One successful write of `batch`, which took `duration`.
    func stored(_ batch: StoreBatch, in duration: Duration) {
        guard let factory else { return }
        for (kind, count) in batch.countsByKind where count > 0 {
            Counter(label: Name.rowsWritten, dimensions: [("kind", kind)], factory: factory).increment(by: count)
        }
        CoreMetrics.Timer(label: Name.writeDuration, factory: factory).record(duration: duration)
    }

    func writeFailed() {
        guard let factory else { return }
        Counter(label: Name.writeFailures, factory: factory).increment()
    }

    /// Rows kept until a write works again (memory and spill file).
    func storeBacklog(rows: Int) {
        guard let factory else { return }
        Gauge(label: Name.rowsWaiting, factory: factory).record(rows)
    }

    func dropped(rows: Int) {
        guard let factory, rows > 0 else { return }
        Counter(label: Name.rowsDropped, factory: factory).increment(by: rows)
    }

    // MARK: - Sources and budgets

    /// `source` is now in `state`: its gauge for that state is 1, for every other state 0.
    func sourceState(_ source: SourceID, _ state: HealthState) {
        guard let factory else { return }
        for candidate in HealthState.allCases {
            Gauge(
                label: Name.sourceState, dimensions: [("source", source.rawValue), ("state", candidate.rawValue)],
                factory: factory
            )
            .record(candidate == state ? 1 : 0)
        }
    }

    /// What is left of a provider account's request budget (`account` names the key's variable, never the key).
    func budget(account: String, remaining: Int, capacity: Int) {
        guard let factory else { return }
        Gauge(label: Name.budgetRemaining, dimensions: [("account", account)], factory: factory).record(remaining)
        Gauge(label: Name.budgetCapacity, dimensions: [("account", account)], factory: factory).record(capacity)
    }

    // MARK: - Fleet

    /// A fleet round (or the leave) worked at `at`: this collector now holds `held` symbols.
    func fleetRound(at: Timestamp, held: Int) {
        guard let factory else { return }
        Gauge(label: Name.fleetHeld, factory: factory).record(held)
        Gauge(label: Name.fleetLastRound, factory: factory).record(Double(at.nanoseconds) / 1e9)
        Counter(label: Name.fleetRoundFailures, factory: factory).increment(by: 0)
    }

    func fleetRoundFailed() {
        guard let factory else { return }
        Counter(label: Name.fleetRoundFailures, factory: factory).increment()
    }
}
