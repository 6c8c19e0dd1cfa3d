/// Stops hammering a failing source. After `failureThreshold` consecutive
/// failures the circuit opens: no attempts for `openDuration`. Then it is
/// half-open: one probe is allowed; success closes it, failure opens it again.
package struct CircuitBreaker: Sendable, Hashable {
    package enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(until: Timestamp)
        case halfOpen
    }

    package struct Settings: Sendable, Hashable {
        package var failureThreshold: Int
        package var openDuration: Duration
        package init(failureThreshold: Int = 5, openDuration: Duration = .seconds(60)) {
            self.failureThreshold = max(1, failureThreshold)
            self.openDuration = openDuration
        }
    }

    package let settings: Settings
    package private(set) var state: State = .closed(consecutiveFailures: 0)

    package init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Before an attempt: when the open period is over the circuit turns
    /// half-open (this attempt is the probe). Returns the time to wait first,
    /// or nil when the attempt may go ahead now.
    package mutating func waitBeforeAttempt(at now: Timestamp) -> Duration? {
        guard case .open(let until) = state else { return nil }
        if now >= until {
            state = .halfOpen
            return nil
        }
        return until - now
    }

    /// A delivery succeeded: the circuit closes.
    package mutating func recordSuccess() {
        state = .closed(consecutiveFailures: 0)
    }

    /// An attempt failed. Returns true when this failure opened the circuit.
    @discardableResult
    package mutating func recordFailure(at now: Timestamp) -> Bool {
        switch state {
        case .halfOpen:
            state = .open(until: now + settings.openDuration)
            return true
        case .closed(let failures) where failures + 1 >= settings.failureThreshold:
            state = .open(until: now + settings.openDuration)
            return true
        case .closed(let failures):
            state = .closed(consecutiveFailures: failures + 1)
            return false
        case .open:
            return false
        }
    }
}
