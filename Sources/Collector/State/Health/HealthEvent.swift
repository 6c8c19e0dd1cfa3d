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
    /// One part of the source (a market or endpoint) failed while the rest may be serving: the
    /// source shows as degraded naming the part, and only that part's symbols fail over.
    case partFailed(SourceID, PartHealth, at: Timestamp)
    /// The source has nothing for `symbol`, and why (`unknown to FINNHUB`, `not subscribed: over
    /// the plan's symbol limit`); forgotten once a quote for it comes from that source.
    case noData(SourceID, Symbol, reason: String)
    /// The named part answers again (or is no longer asked).
    case partRecovered(SourceID, part: String, at: Timestamp)
    /// The store replaced `bars` stored bars with other values the source sent for them (revisions).
    case revised(SourceID, bars: Int)

    /// False for events that only add to a counter and change no source's state.
    var canChangeState: Bool {
        if case .revised = self { return false }
        return true
    }
}
