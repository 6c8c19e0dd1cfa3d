/// What a source is doing right now, as shown in the health panel.
public enum HealthState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Configured, not yet heard from.
    case starting
    /// Live stream connected and delivering.
    case streaming
    /// Answering polls.
    case polling
    /// Working, but with errors or gaps.
    case degraded
    /// Not answering.
    case down
    /// Failing so often that requests are paused.
    case circuitOpen = "circuit-open"
    /// After a pause, one probe request is testing whether the source is back.
    case halfOpen = "half-open"
    /// Turned off in the configuration, or no client for it in this build.
    case disabled
    /// Needs an API key that is not set.
    case noKey = "no-key"
    /// The provider's answers no longer have the documented shape; the detail names what changed.
    case formatChanged = "format-changed"
    /// The provider is throttling; requests wait until its budget refills.
    case rateLimited = "rate-limited"
    /// Seen by a viewer of a shared store whose fleet has no collector alive: nobody checks the
    /// source now; the detail says since when and the state last stored.
    case notCollected = "not-collected"

    /// True for states whose values are not shown: down, paused, or probing.
    package var isUnavailable: Bool {
        self == .down || self == .circuitOpen || self == .halfOpen || self == .formatChanged
    }

    /// True for states in which the source is delivering data.
    package var isUp: Bool { self == .streaming || self == .polling || self == .degraded }
}
