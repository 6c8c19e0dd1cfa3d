/// A failure of a source's provider, with the context a user needs to act on it: which source,
/// which endpoint (path only), which symbol, the HTTP status and a short excerpt of the body.
/// Request failures are built through `ProviderClient`, which redacts every part, so no key can
/// reach a message or a log line; `unsupported` and `unavailable` are failures without a request.
/// (A *source* is one configured feed with its `SourceID`; its *provider* is the vendor's service
/// it talks to: see Architecture in the DocC catalog.)
package struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
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
        /// The provider does not offer this (history bars, quotes, a stream, a timeframe).
        case unsupported
    }

    /// The configured source whose provider failed.
    package var source: SourceID
    package var kind: Kind
    /// The request path without query string, e.g. `/v2/stocks/bars`.
    package var endpoint: String
    package var symbol: Symbol?
    package var status: Int?
    /// What went wrong, in plain words.
    package var message: String
    /// The start of the response body, whitespace collapsed, secrets masked.
    package var bodyExcerpt: String?

    package init(
        source: SourceID, kind: Kind, endpoint: String, symbol: Symbol? = nil, status: Int? = nil,
        message: String, bodyExcerpt: String? = nil
    ) {
        self.source = source
        self.kind = kind
        self.endpoint = endpoint
        self.symbol = symbol
        self.status = status
        self.message = message
        self.bodyExcerpt = bodyExcerpt
    }

    /// The provider does not offer `capability` (nothing was requested).
    package static func unsupported(source: SourceID, capability: String) -> ProviderError {
        ProviderError(source: source, kind: .unsupported, endpoint: "", message: "does not provide \(capability)")
    }

    /// The source is not answering: an outage of an in-process source, or nothing to play.
    package static func unavailable(source: SourceID, reason: String) -> ProviderError {
        ProviderError(source: source, kind: .unreachable, endpoint: "", message: "is unavailable: \(reason)")
    }

    /// The health state this failure puts the source in.
    package var healthState: HealthState { Self.healthState(of: kind) }

    /// The health state a failure of `kind` puts the source in.
    static func healthState(of kind: Kind) -> HealthState {
        switch kind {
        case .rateLimited: .rateLimited
        case .formatChanged: .formatChanged
        case .notFound, .noData, .badRequest: .degraded
        case .unauthorized, .notEntitled, .serverError, .timeout, .unreachable, .unsupported: .down
        }
    }

    /// Whether trying again later can help (not for a refused key or an unknown symbol).
    package var isTransient: Bool {
        switch kind {
        case .rateLimited, .serverError, .timeout, .unreachable: true
        case .unauthorized, .notEntitled, .notFound, .badRequest, .formatChanged, .noData, .unsupported: false
        }
    }

    /// True when the failure concerns one symbol only (the source itself is fine).
    package var isSymbolSpecific: Bool {
        symbol != nil && (kind == .notFound || kind == .noData)
    }

    package var description: String {
        // Without a request the message reads on from the name: "SIM is unavailable: ...".
        if endpoint.isEmpty, symbol == nil, status == nil { return "\(source.label) \(message)" }
        var text = "\(source.label) \(endpoint)"
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
