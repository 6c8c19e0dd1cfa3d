/// What a producer (a poller, a stream, a backfill, the store) saw about a source's health:
/// facts, not states. `HealthBook` alone decides from them what each source shows.
package enum HealthFact: Sendable, Hashable {
    /// The source exists, of provider `kind`, in a configured standing (`starting`, `disabled`, `no-key`).
    case registered(SourceID, kind: String, state: HealthState, detail: String?)
    /// A live stream connected and subscribed; `detail` names it (its URL, reconnects and why).
    case connected(SourceID, detail: String?)
    /// After a pause, one probe request tests whether the source is back (its circuit is half-open).
    case probing(SourceID)
    /// The provider throttles (a 429, a quota note): its requests wait in the limiter until `until`.
    case throttled(SourceID, until: Timestamp)
    /// New values arrived (see `Delivery`).
    case delivered(SourceID, Delivery)
    /// A request, a connection or a stream failed (see `Failure`).
    case failed(SourceID, Failure)
    /// A clean poll round and the standing issue it found (unknown symbols, slow requests, the
    /// provider's own note), or nil once none is left.
    case polled(SourceID, issue: String?)
    /// A connected stream's trouble that keeps the connection (an error the provider sent,
    /// unreadable messages); `degrades` is false when the provider's words are only a notice.
    case streamTrouble(SourceID, message: String, degrades: Bool)
    /// The rate-limit budget left in the current window.
    case rateLimit(SourceID, remaining: Int)
    /// A live stream's reconnects, coalesced and dropped values since its last report (added up,
    /// so a source's two streams, Alpaca's stocks and crypto, count together).
    case streamed(SourceID, reconnects: Int, coalesced: Int, dropped: Int)
    /// One part of the source (a market or endpoint, serving `symbols`) failed while the rest may
    /// be serving: the source shows as degraded naming the part, and only that part's symbols fail over.
    case partFailed(SourceID, part: String, symbols: [Symbol], Failure)
    /// Every part polled in a round is failing and no stream serves: the source as a whole is as
    /// bad as the worst of the named parts.
    case everyPartFailing(SourceID, parts: [String])
    /// The source has nothing for `symbol`, and why (`unknown to FINNHUB`, `not subscribed: over
    /// the plan's symbol limit`); forgotten once a quote for it comes from that source.
    case noData(SourceID, Symbol, reason: String)
    /// The named part answers again (or is no longer asked).
    case partRecovered(SourceID, part: String, at: Timestamp)
    /// The store replaced `bars` stored bars with other values the source sent for them (revisions).
    case revised(SourceID, bars: Int)

    /// New values that arrived from a source in one batch or one answer.
    package struct Delivery: Sendable, Hashable {
        package var count: Int
        package var at: Timestamp
        /// Pushed by a stream or answered to a poll.
        package var path: DeliveryPath
        /// A poll's round trip (from when its requests were sent), in milliseconds.
        package var roundTripMilliseconds: Double?
        /// How late a stream batch's quotes arrived, by their own time stamps.
        package var feedDelay: FeedDelay?
        /// A poll answered while one of the source's streams was connected: the source is streaming.
        package var streamUp: Bool
        /// A standing issue of the source (unknown symbols, slow requests, the provider's note).
        package var issue: String?
        /// The stream connection the values came by (its URL and reconnects), kept as the detail.
        package var connection: String?

        package init(
            count: Int, path: DeliveryPath, roundTripMilliseconds: Double? = nil, feedDelay: FeedDelay? = nil,
            streamUp: Bool = false, issue: String? = nil, connection: String? = nil, at: Timestamp
        ) {
            self.count = count
            self.at = at
            self.path = path
            self.roundTripMilliseconds = roundTripMilliseconds
            self.feedDelay = feedDelay
            self.streamUp = streamUp
            self.issue = issue
            self.connection = connection
        }
    }

    /// A failure: what failed and why, in words without secrets (`message`), and its cause.
    package struct Failure: Sendable, Hashable {
        package enum Cause: Sendable, Hashable {
            /// The provider answered with this kind of error (`ProviderError.Kind`).
            case provider(ProviderError.Kind)
            /// No answer of a known kind (a refused connection, a stream that ended): not answering.
            case broken
            /// A transient failure, the first in a row: tried again shortly, so it only degrades.
            case retrying
            /// So many failures in a row that requests pause until `until` (the circuit opened).
            case circuitOpen(until: Timestamp)
            /// A history (backfill) request: the source's quotes may still be fine, so it only
            /// degrades, unless the provider throttles (`kind`: what it answered, if it did).
            case history(ProviderError.Kind?)
            /// The live stream closed or went stale, as its protocol judged it (`judged`, see
            /// `StreamFailure.state`); `pollerStandsIn`: a poller serves meanwhile, so it degrades.
            case stream(judged: HealthState, pollerStandsIn: Bool)
        }

        package var cause: Cause
        package var message: String
        package var at: Timestamp

        package init(_ cause: Cause, message: String, at: Timestamp) {
            self.cause = cause
            self.message = message
            self.at = at
        }
    }

    /// False for facts that only add to a counter and change no source's state.
    var canChangeState: Bool {
        if case .revised = self { return false }
        return true
    }
}
