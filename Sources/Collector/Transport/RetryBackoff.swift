/// Exponential backoff: `initial`, then doubling per failed attempt up to `maximum`.
public struct RetryBackoff: Sendable, Hashable {
    package var initial: Duration
    package var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before retry number `attempt` (1 is the first retry).
    package func delay(forAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let scaled = initial * (1 << exponent)
        return min(scaled, maximum)
    }
}
