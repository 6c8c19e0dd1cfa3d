/// A provider request that failed, with the context a user needs to act on it:
/// which provider, which endpoint (path only), which symbol, the HTTP status
/// and a short excerpt of the body. Built only through `ProviderClient`, which
/// redacts every part, so no key can reach a message or a log line.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The key was refused (HTTP 401, or the provider's "invalid key" note).
        case unauthorized
        /// The plan does not include this data (HTTP 403, "premium feature").
        case notEntitled
        /// The symbol or endpoint is unknown to the provider.
        case notFound
        /// The provider rejected a parameter (HTTP 400 or 422).
        case badRequest
        /// Too many requests; `retryAfter` when the provider said how long to wait.
        case rateLimited(retryAfter: Duration?)
        /// The provider failed (HTTP 5xx).
        case serverError
        /// The answer did not have the documented shape (HTML, missing key, wrong type, truncated).
        case formatChanged
        /// The request got no answer in time.
        case timeout
        /// The provider could not be reached.
        case unreachable
        /// A well-formed answer with nothing in it for this symbol or range.
        case noData
    }

    public var provider: SourceID
    public var kind: Kind
    /// The request path without query string, e.g. `/v2/stocks/bars`.
    public var endpoint: String
    public var symbol: Symbol?
    public var status: Int?
    /// What went wrong, in plain words.
    public var message: String
    /// The start of the response body, whitespace collapsed, secrets masked.
    public var bodyExcerpt: String?

    public init(
        provider: SourceID, kind: Kind, endpoint: String, symbol: Symbol? = nil, status: Int? = nil,
        message: String, bodyExcerpt: String? = nil
    ) {
        self.provider = provider
        self.kind = kind
        self.endpoint = endpoint
        self.symbol = symbol
        self.status = status
        self.message = message
        self.bodyExcerpt = bodyExcerpt
    }

    /// The health state this failure puts the source in.
    public var healthState: HealthState { Self.healthState(of: kind) }

    /// The health state a failure of `kind` puts the source in.
    static func healthState(of kind: Kind) -> HealthState {
        switch kind {
        case .rateLimited: .rateLimited
        case .formatChanged: .formatChanged
        case .notFound, .noData, .badRequest: .degraded
        case .unauthorized, .notEntitled, .serverError, .timeout, .unreachable: .down
        }
    }

    /// Whether trying again later can help (not for a refused key or an unknown symbol).
    public var isTransient: Bool {
        switch kind {
        case .rateLimited, .serverError, .timeout, .unreachable: true
        case .unauthorized, .notEntitled, .notFound, .badRequest, .formatChanged, .noData: false
        }
    }

    /// True when the failure concerns one symbol only (the source itself is fine).
    public var isSymbolSpecific: Bool {
        symbol != nil && (kind == .notFound || kind == .noData)
    }

    public var description: String {
        var text = "\(provider.label) \(endpoint)"
        if let symbol { text += " \(symbol)" }
        if let status { text += " HTTP \(status)" }
        text += ": \(message)"
        // The provider's own words are already in the message; the raw body helps only when its shape changed.
        if kind == .formatChanged, let bodyExcerpt, !bodyExcerpt.isEmpty, !message.contains(bodyExcerpt) {
            text += " (body: \(bodyExcerpt))"
        }
        return text
    }
}
