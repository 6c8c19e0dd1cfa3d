import ServiceLifecycle

/// Re-selects sources and re-evaluates alerts on a timer, so a silent symbol
/// or source fails over and raises an alert even when nothing else happens.
/// Alert changes and anomalies that arise there (sources that began to
/// disagree) go to the store, so a later run can show what happened.
public struct AlertMonitor: Service {
    let state: MarketState
    let sink: (any StoreSink)?
    let clock: any Clock<Duration>
    let interval: Duration

    public init(state: MarketState, sink: (any StoreSink)?, clock: any Clock<Duration>, interval: Duration = .seconds(1)) {
        self.state = state
        self.sink = sink
        self.clock = clock
        self.interval = interval
    }

    public func run() async {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await clock.sleep(for: interval)
                let outcome = await state.tick()
                if !outcome.toStore.isEmpty { sink?.submit(outcome.toStore) }
            }
        }
    }
}
