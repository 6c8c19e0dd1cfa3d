/// The health of one source, as the collector last saw it.
public struct SourceHealth: Sendable, Hashable, Codable {
    public var source: SourceID
    /// The kind of provider behind it (`simulated`, `alpaca`, ...).
    public var kind: String
    public var state: HealthState
    /// Why the source is in this state, e.g. the last error, without secrets.
    public var detail: String?
    public var lastSuccess: Timestamp?
    public var lastError: String?
    public var lastErrorAt: Timestamp?
    /// Round-trip time of the last request, or the feed delay of the last message.
    public var latencyMilliseconds: Double?
    public var messageCount: Int
    public var errorCount: Int
    /// Failures in the last 60 seconds.
    public var errorsLastMinute: Int = 0
    /// Values delivered per second over the last 10 seconds.
    public var messagesPerSecond: Double = 0
    /// Median and 95th percentile of the latencies reported in the last 60 seconds.
    public var latencyP50Milliseconds: Double?
    public var latencyP95Milliseconds: Double?
    /// When the source entered its current state.
    public var stateSince: Timestamp?
    /// State changes since start.
    public var transitions: Int = 0
    /// Stored bars this source sent again with other values since start (revisions; see `MarketStore.write`).
    public var barsRevised: Int = 0
    /// Requests left in the current rate-limit window, where the source has one.
    public var rateLimitRemaining: Int?
    /// The live stream's reconnects, coalesced and dropped values; nil without a stream.
    public var stream: StreamCounters?
    /// The parts of the source that fail while the rest serves (Alpaca's crypto API, say); nil when none.
    public var failingParts: [PartHealth]?

    package init(
        source: SourceID, kind: String, state: HealthState = .starting, detail: String? = nil,
        lastSuccess: Timestamp? = nil, lastError: String? = nil, lastErrorAt: Timestamp? = nil,
        latencyMilliseconds: Double? = nil, messageCount: Int = 0, errorCount: Int = 0,
        rateLimitRemaining: Int? = nil
    ) {
        self.source = source
        self.kind = kind
        self.state = state
        self.detail = detail
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.latencyMilliseconds = latencyMilliseconds
        self.messageCount = messageCount
        self.errorCount = errorCount
        self.rateLimitRemaining = rateLimitRemaining
    }
}
