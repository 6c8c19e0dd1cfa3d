/// A fault specification that could not be parsed, naming the bad part.
public struct SimulatedFaultError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The whole specification as given.
    package let input: String
    /// What is wrong with it.
    package let reason: String

    /// The forms `SimulatedFault(parsing:)` accepts.
    package static let acceptedForms =
        "spike:SYMBOL[:FACTOR], crossed:SYMBOL, stall:SYMBOL[:DURATION], gap:SYMBOL[:MINUTES], "
        + "badbar:SYMBOL, outage:DURATION, offset:SYMBOL[:PERCENT] (durations like 500ms, 30s, 5m, 1h)"

    public var description: String {
        "'\(input)' is not a valid fault: \(reason); accepted forms: \(Self.acceptedForms)"
    }
}
