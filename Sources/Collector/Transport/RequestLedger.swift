/// Where a provider account's spend is kept so that every process and run sharing
/// the store shares one budget: the time of each request sent, the pause a provider
/// imposed, and the request shapes its plan refused.
///
/// An account is the source kind and the NAME of its key variable
/// (`SourceConfiguration.rateLimitAccount`), never the key itself.
public protocol RequestLedger: Sendable {
    /// In one transaction: when no pause is recorded past `time` and fewer than
    /// `limit.requests` requests of `account` fall in the window `(time - limit.period, time]`,
    /// records a request at `time` and returns nil; otherwise records nothing and
    /// returns the earliest time a request may be sent.
    func reserveRequest(account: String, at time: Timestamp, within limit: RateLimit) async throws -> Timestamp?

    /// Times of the requests of `account` sent after `since`, oldest first.
    func requestTimes(account: String, since: Timestamp) async throws -> [Timestamp]

    /// Holds every request of `account` until `until` (a later pause already recorded stays).
    func recordPause(account: String, until: Timestamp) async throws

    /// The pause recorded for `account`, if it ends after `now`.
    func pause(account: String, after now: Timestamp) async throws -> Timestamp?

    /// Remembers that the provider refused `refusal.shape` for `account`.
    func recordRefusal(_ refusal: RequestRefusal) async throws

    /// The last refusal of `shape` for `account`, if any.
    func refusal(account: String, shape: String) async throws -> RequestRefusal?

    /// Every refusal recorded for `account`, by shape (for `ticktop sources`).
    func refusals(account: String) async throws -> [RequestRefusal]
}

/// A request shape a plan refused (premium, not entitled, unsupported symbol), with the
/// provider's reason, so it is not asked again on every start.
public struct RequestRefusal: Sendable, Hashable {
    package var account: String
    /// What was asked, without the key: e.g. `TIME_SERIES_DAILY BTC/USD` or `TIME_SERIES_DAILY outputsize=full`.
    public var shape: String
    /// The provider's words (already scrubbed of secrets).
    public var reason: String
    public var refusedAt: Timestamp
    /// A fingerprint of what the answer depends on (base URL and key); another one retries at once.
    package var configuration: String

    package init(account: String, shape: String, reason: String, refusedAt: Timestamp, configuration: String) {
        self.account = account
        self.shape = shape
        self.reason = reason
        self.refusedAt = refusedAt
        self.configuration = configuration
    }

    /// How long a refusal holds before the shape is asked again.
    public static let retryAfter = Duration.seconds(86_400)

    /// Whether the shape should still not be asked at `now` with `configuration`.
    package func holds(at now: Timestamp, configuration: String) -> Bool {
        self.configuration == configuration && now < refusedAt + Self.retryAfter
    }
}
