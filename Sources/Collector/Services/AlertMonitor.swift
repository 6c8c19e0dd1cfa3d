import ServiceLifecycle

/// Re-evaluates freshness and health alerts on a timer, so a silent symbol or
/// source raises an alert even when nothing else happens.
public struct AlertMonitor: Service {
    let state: MarketState
    let clock: any Clock<Duration>
    let interval: Duration

    public init(state: MarketState, clock: any Clock<Duration>, interval: Duration = .seconds(1)) {
        self.state = state
        self.clock = clock
        self.interval = interval
    }

    public func run() async {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await clock.sleep(for: interval)
                await state.evaluateAlerts()
            }
        }
    }
}
