/// Settings only the simulated source has.
public struct SimulationSettings: Sendable, Equatable {
    /// Seed of the price generator; the same seed gives the same prices.
    package var seed: UInt64
    /// Time between simulated ticks.
    package var tickInterval: Duration
    /// Fault injections such as `"spike:AAPL"`, kept as written and parsed by the simulator.
    public var faults: [String]

    package init(seed: UInt64 = 42, tickInterval: Duration = .milliseconds(250), faults: [String] = []) {
        self.seed = seed
        self.tickInterval = tickInterval
        self.faults = faults
    }

    /// `seed = 42`, `tick_interval = "250ms"`, `faults = []`.
    package static let defaults = SimulationSettings()
}
