import Foundation
import Logging

/// The HTTP plumbing every provider source shares: one rate limiter per
/// provider, timeouts, status-to-error mapping, HTML detection, decoding that
/// names what changed, and redaction of every URL, header and body excerpt.
package struct ProviderClient: Sendable {
    package let id: SourceID
    /// Scheme, host and optional path prefix, without a trailing slash.
    package let baseURL: String
    package let transport: any HTTPTransport
    package let limiter: RateLimiter
    package let timeout: Duration
    package let redactor: Redactor
    package let timeSource: any TimeSource
    package let logger: Logger
    /// How long a request may wait for the rate limiter before failing as rate-limited; nil waits.
    package let maximumRateLimitWait: Duration?
    /// How long to hold all requests after a 429 that names no wait.
    package let throttlePause: Duration
    /// Lengthens a pause by a random 0 to 25% (at most 30 s) so clients do not retry in step.
    let jitter: @Sendable (Duration) -> Duration
    /// Recognises a throttle a provider sends inside a 2xx answer (Alpha Vantage's notes), so the
    /// pause starts as soon as the answer arrives, before any other caller can send.
    var throttleNote: (@Sendable (HTTPResponse) -> ThrottleNote?)?

    /// A throttle found in an answer: hold requests for `wait`, or for `throttlePause` when nil.
    package struct ThrottleNote: Sendable, Hashable {
        package var wait: Duration?
    }

    package init(
        id: SourceID, baseURL: String, transport: any HTTPTransport, limiter: RateLimiter,
        timeout: Duration = .seconds(10), secrets: [String] = [], timeSource: any TimeSource, logger: Logger,
        maximumRateLimitWait: Duration? = nil, throttlePause: Duration = .seconds(60),
        jitter: @escaping @Sendable (Duration) -> Duration = ProviderClient.randomJitter
    ) {
        self.id = id
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.transport = transport
        self.limiter = limiter
        self.timeout = timeout
        self.redactor = Redactor(secrets: secrets)
        self.timeSource = timeSource
        self.logger = logger
        self.maximumRateLimitWait = maximumRateLimitWait
        self.throttlePause = throttlePause
        self.jitter = jitter
    }

    /// This client, also pausing the provider's requests when `note` finds a throttle in an answer.
    package func recognisingThrottles(_ note: @escaping @Sendable (HTTPResponse) -> ThrottleNote?) -> ProviderClient {
        var client = self
        client.throttleNote = note
        return client
    }

    package static let randomJitter: @Sendable (Duration) -> Duration = { pause in
        pause + min(pause * 0.25, .seconds(30)) * Double.random(in: 0...1)
    }

    /// `GET baseURL + path?query`, through the rate limiter. Returns only 2xx non-HTML
    /// responses; everything else becomes a `ProviderError` for `endpoint` (default: `path`).
    package func get(
        _ path: String, query: [URLQueryItem] = [], headers: [HTTPHeader] = [], symbol: Symbol? = nil,
        endpoint: String? = nil
    ) async throws -> HTTPResponse {
        var components = URLComponents()
        components.queryItems = query.isEmpty ? nil : query
        // URLComponents leaves '+' alone, which servers read as a space (e.g. "BRK+B"); encode it.
        let encodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let url = baseURL + path + (encodedQuery.map { "?\($0)" } ?? "")
        return try await get(url: url, headers: headers, symbol: symbol, endpoint: endpoint ?? path)
    }

    /// `GET` an absolute URL (e.g. a `next_url` the provider returned), through the rate limiter.
    package func get(url: String, headers: [HTTPHeader] = [], symbol: Symbol? = nil, endpoint: String) async throws
        -> HTTPResponse
    {
        let response = try await send(
            HTTPRequest(url: url, headers: headers, timeout: timeout), symbol: symbol, endpoint: endpoint)
        guard response.isSuccess else { throw await failure(for: response, endpoint: endpoint, symbol: symbol) }
        if response.isHTML {
            throw error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status,
                message: "an HTML page came back instead of data", body: response.body)
        }
        return response
    }

    /// Sends any request through the rate limiter, returning whatever status came back. A 429
    /// (or a throttle `throttleNote` recognises) pauses the provider before this returns.
    package func send(_ request: HTTPRequest, symbol: Symbol?, endpoint: String) async throws -> HTTPResponse {
        do {
            try await limiter.acquire(maximumWait: maximumRateLimitWait)
        } catch let exhausted as RateLimiter.Exhausted {
            throw error(
                .rateLimited(retryAfter: exhausted.wait), endpoint: endpoint, symbol: symbol,
                message: exhausted.description)
        }
        let started = timeSource.now()
        let response: HTTPResponse
        do {
            // Timed from here, when the request is sent: the limiter's wait is ours, not the provider's.
            defer { RequestTimings.current?.record(timeSource.now() - started) }
            response = try await transport.send(request)
        } catch let failure as TransportError {
            let kind: ProviderError.Kind = if case .timeout = failure { .timeout } else { .unreachable }
            logger.debug(
                "request failed",
                metadata: ["source": "\(id)", "url": "\(redactor.redact(url: request.url))", "error": "\(failure)"])
            throw error(kind, endpoint: endpoint, symbol: symbol, message: failure.description)
        }
        // The pause first: every other caller waiting in the limiter must see it before it sends.
        if response.status == 429 {
            await throttled(for: Self.retryAfter(response))
        } else if let note = throttleNote?(response) {
            await throttled(for: note.wait)
        }
        if let remaining = response.header("X-RateLimit-Remaining").flatMap({ Int($0.trimmingBlanks()) }) {
            await limiter.observe(remaining: remaining)
        }
        logger.debug(
            "request",
            metadata: [
                "source": "\(id)", "url": "\(redactor.redact(url: request.url))", "status": "\(response.status)",
                "ms": "\((timeSource.now() - started).nanosecondsValue / 1_000_000)"
            ])
        return response
    }

    /// The longest `Retry-After` taken as sent (a day): a longer one is cut to it, so the pause
    /// stays a time the limiter can hold.
    static let maximumRetryAfterSeconds = 86_400

    /// Turns a non-2xx response into a typed error; a 429 also pauses the shared limiter.
    package func failure(for response: HTTPResponse, endpoint: String, symbol: Symbol?) async -> ProviderError {
        let status = response.status
        let said = response.isHTML ? nil : ProviderMessage.extract(from: response.body)
        let kind: ProviderError.Kind
        var message: String
        switch status {
        case 429:
            let wait = Self.retryAfter(response)
            // `send` paused the provider already; this only extends a pause that has ended.
            let pause = await throttled(for: wait)
            kind = .rateLimited(retryAfter: wait)
            message = "rate limit exceeded; \(pausedText(pause))"
        case 401:
            kind = .unauthorized
            message = "the key was refused"
        case 403:
            kind = .notEntitled
            message = "not permitted (key or plan)"
        case 404:
            kind = .notFound
            message = symbol == nil ? "not found" : "unknown symbol"
        case 400, 422:
            kind = .badRequest
            message = "the request was rejected"
        case 500...599:
            kind = .serverError
            message = "the provider failed"
        default:
            kind = .formatChanged
            message = "unexpected HTTP status"
        }
        if response.isHTML { message += " (an HTML page came back)" }
        if let said { message += ": \(said)" }
        return error(kind, endpoint: endpoint, symbol: symbol, status: status, message: message, body: response.body)
    }

    /// Holds every caller of this provider for `wait` (or `throttlePause`), with jitter; returns
    /// how long requests are held (a longer pause already running is kept).
    @discardableResult
    package func throttled(for wait: Duration?) async -> Duration {
        let now = timeSource.now()
        if let running = await limiter.pauseEnd(), running - now >= (wait ?? throttlePause) { return running - now }
        let pause = await limiter.pause(for: jitter(wait ?? throttlePause)) - now
        logger.warning("throttled by the provider", metadata: ["source": "\(id)", "pause": "\(pause.ageText)"])
        return pause
    }

    /// The wait a 429 names in `Retry-After` (whole seconds), if any.
    /// Capped at `maximumRetryAfterSeconds` (a day): a longer one overflowed the limiter's pause.
    static func retryAfter(_ response: HTTPResponse) -> Duration? {
        response.header("Retry-After").flatMap { Int($0.trimmingBlanks()) }
            .map { Duration.seconds(min(max($0, 0), Self.maximumRetryAfterSeconds)) }
    }

    /// `requests paused until 23:59:58 UTC (21h 59m)`: a pause that began now, as the source's state shows it.
    package func pausedText(_ pause: Duration) -> String {
        "requests paused until \((timeSource.now() + pause).clockText) UTC (\(pause.ageText))"
    }

    /// A redacted error for this provider.
    package func error(
        _ kind: ProviderError.Kind, endpoint: String, symbol: Symbol? = nil, status: Int? = nil, message: String,
        body: [UInt8]? = nil
    ) -> ProviderError {
        ProviderError(
            source: id, kind: kind, endpoint: redactor.scrub(endpoint), symbol: symbol, status: status,
            message: ProviderMessage.excerpt(message, limit: 400, masking: redactor),
            bodyExcerpt: body.map { ProviderMessage.excerpt(ProviderMessage.text(of: $0), masking: redactor) })
    }

    /// Decodes JSON, turning any mismatch into a `formatChanged` error that says where and what.
    package func decode<T: Decodable>(
        _ type: T.Type, from response: HTTPResponse, endpoint: String, symbol: Symbol? = nil
    ) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch let decoding as DecodingError {
            throw error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status,
                message: ProviderMessage.describe(decoding), body: response.body)
        }
    }
}
