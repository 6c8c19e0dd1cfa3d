import ServiceLifecycle

/// Re-selects sources and re-evaluates alerts on a timer, so a silent symbol
/// or source fails over and raises an alert even when nothing else happens.
/// Anomalies that arise there (sources that began to disagree) go to the store.
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
                let derived = await state.tick()
                if !derived.isEmpty { sink?.submit(StoreBatch(anomalies: derived)) }
            }
        }
    }
}
