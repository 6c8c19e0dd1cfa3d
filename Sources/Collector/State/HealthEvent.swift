/// A change in a source's health, reported by the service that talks to it.
public enum HealthEvent: Sendable, Hashable {
    /// The source was registered, with its provider kind and initial state.
    case registered(SourceID, kind: String, state: HealthState, detail: String?)
    /// The source delivered `count` values; `latencyMilliseconds` is the round trip or feed delay.
    case delivered(SourceID, state: HealthState, count: Int, latencyMilliseconds: Double?, at: Timestamp)
    /// A request or connection failed; `message` carries context, never secrets.
    case failed(SourceID, state: HealthState, message: String, at: Timestamp)
    /// The source changed state without data (e.g. connecting, disabled).
    case changed(SourceID, state: HealthState, detail: String?)
    /// The rate-limit budget left in the current window.
    case rateLimit(SourceID, remaining: Int)
    /// A live stream's reconnects, coalesced and dropped values since its last report (added up,
    /// so a source's two streams, Alpaca's stocks and crypto, count together).
    case streamed(SourceID, reconnects: Int, coalesced: Int, dropped: Int)
}
