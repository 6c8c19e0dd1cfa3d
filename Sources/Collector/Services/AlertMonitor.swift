import Logging
import ServiceLifecycle

/// Re-selects sources and re-evaluates alerts on a timer, so a silent symbol
/// or source fails over and raises an alert even when nothing else happens.
/// Alert changes and anomalies that arise there (sources that began to
/// disagree) go to the store (health transitions go with the change that caused
/// them, see `OutcomeRecorder`), so a later run can show what happened; at
/// start it hands the alerts earlier runs stored to the state.
package struct AlertMonitor: Service {
    let state: MarketState
    let sink: (any StoreSink)?
    let store: (any MarketStore)?
    let clock: any Clock<Duration>
    let interval: Duration
    let logger: Logger?
    let metrics: CollectorMetrics
    /// How many earlier alerts to show at most.
    static let earlierAlertLimit = 50

    package init(
        state: MarketState, sink: (any StoreSink)?, store: (any MarketStore)? = nil, clock: any Clock<Duration>,
        interval: Duration = .seconds(1), metrics: CollectorMetrics = .system, logger: Logger? = nil
    ) {
        self.logger = logger
        self.metrics = metrics
        self.state = state
        self.sink = sink
        self.store = store
        self.clock = clock
        self.interval = interval
    }

    package func run() async {
        // Read before this run stores any alert of its own, so only earlier runs' alerts are restored.
        if let store, let earlier = try? await store.recentAlerts(limit: Self.earlierAlertLimit), !earlier.isEmpty {
            await state.restoreEarlierAlerts(earlier)
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await clock.sleep(for: interval, purpose: "health tick")
                OutcomeRecorder(sink: sink, logger: logger, metrics: metrics).record(await state.tick())
            }
        }
    }
}
