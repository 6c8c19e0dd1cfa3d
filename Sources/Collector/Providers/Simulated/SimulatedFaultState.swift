/// The faults pending or active for one symbol of the simulated market.
struct SimulatedFaultState: Sendable, Hashable {
    /// Factor for the next value's prices.
    var spike: Double?
    /// The next quote is crossed.
    var crossedQuote = false
    /// The symbol is silent until this time (`Timestamp(nanoseconds: .max)` until cleared).
    var stalledUntil: Timestamp?
    /// Minute bars still to drop.
    var gapMinutes = 0
    /// The next minute bar has high and low swapped.
    var badBar = false
    /// Every price is multiplied by this (1 + percent / 100) until cleared.
    var offsetFactor: Double?

    static let forever = Timestamp(nanoseconds: .max)

    /// True while the symbol is stalled at `time`.
    func isStalled(at time: Timestamp) -> Bool {
        stalledUntil.map { time < $0 } ?? false
    }

    /// Takes the pending spike factor, if any.
    mutating func takeSpike() -> Double? {
        defer { spike = nil }
        return spike
    }
}
