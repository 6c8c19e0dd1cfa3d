import Logging

/// The cookie and crumb the v7 quote endpoint needs (`provider-formats.md` §2.2).
/// Both are credentials: never logged, masked out of every error.
struct YahooCredentials: Sendable, Hashable {
    /// The `Cookie` header value (`A3=...; A1=...`); nil when the cookie page set none.
    var cookie: String?
    var crumb: String
    /// Which fetch produced them, so a refresh after a 401 happens once however many callers saw it.
    var generation: Int

    /// The values to mask in messages.
    var secrets: [String] { [crumb] + (cookie.map { [$0] + $0.cookieValues } ?? []) }
}

/// Fetches the Yahoo session once and shares it between every task that polls the source:
/// `GET` the cookie page (any status; only its `Set-Cookie` headers matter), then `GET` the
/// crumb sending those cookies. Concurrent callers wait for the same fetch.
actor YahooSession {
    private let client: ProviderClient
    private let endpoints: YahooEndpoints
    private let headers: [HTTPHeader]
    private var current: YahooCredentials?
    private var pending: Task<YahooCredentials, any Error>?
    private var generation = 0

    init(client: ProviderClient, endpoints: YahooEndpoints, headers: [HTTPHeader]) {
        self.client = client
        self.endpoints = endpoints
        self.headers = headers
    }

    /// The cached session, or a fresh one.
    func credentials() async throws -> YahooCredentials {
        if let current { return current }
        if let pending { return try await pending.value }
        generation += 1
        let task = Task { [client, endpoints, headers, generation] in
            try await Self.fetch(client: client, endpoints: endpoints, headers: headers, generation: generation)
        }
        pending = task
        defer { pending = nil }
        let fetched = try await task.value
        current = fetched
        client.logger.debug("yahoo session started", metadata: ["source": "\(client.id)", "cookie": "\(fetched.cookie != nil)"])
        return fetched
    }

    /// Forgets `rejected` (a 401 said the crumb is no longer valid) unless a newer session replaced it.
    func invalidate(_ rejected: YahooCredentials) {
        if current?.generation == rejected.generation { current = nil }
    }

    private static func fetch(
        client: ProviderClient, endpoints: YahooEndpoints, headers: [HTTPHeader], generation: Int
    ) async throws -> YahooCredentials {
        let cookieEndpoint = endpoints.cookieURL
        let page = try await client.send(
            HTTPRequest(url: endpoints.cookieURL, headers: headers, timeout: client.timeout), symbol: nil,
            endpoint: cookieEndpoint)
        // fc.yahoo.com answers 404 with the cookies; only a throttle or an outage is a failure.
        if page.status == 429 || page.status >= 500 {
            throw await client.failure(for: page, endpoint: cookieEndpoint, symbol: nil)
        }
        let cookie = cookieHeader(from: page.headers(named: "Set-Cookie"))
        let crumbHeaders = headers + (cookie.map { [HTTPHeader("Cookie", $0)] } ?? [])
        let answer: HTTPResponse
        do {
            answer = try await client.get(url: endpoints.crumbURL, headers: crumbHeaders, endpoint: YahooEndpoints.crumbPath)
        } catch var error as ProviderError {
            if let cookie { error = error.masking(secrets: [cookie] + cookie.cookieValues) }
            throw error
        }
        let crumb = answer.bodyText.trimmingBlanks()
        if crumb.isEmpty {
            let why = cookie == nil ? "the cookie page set no cookie (a consent page?)" : "the session cookie was refused"
            throw client.error(
                .unauthorized, endpoint: YahooEndpoints.crumbPath, status: answer.status,
                message: "Yahoo sent an empty crumb: \(why)")
        }
        if crumb.lowercased().contains("too many requests") {
            // `send` paused the provider already (`YahooMapping.throttleNote`); this names the pause.
            let pause = await client.throttled(for: nil)
            throw client.error(
                .rateLimited(retryAfter: nil), endpoint: YahooEndpoints.crumbPath, status: answer.status,
                message: "rate limit exceeded; \(client.pausedText(pause)): \(crumb)")
        }
        guard crumb.count <= 64, !crumb.contains(where: { $0.isWhitespace || "<>{}\"".contains($0) }) else {
            throw client.error(
                .formatChanged, endpoint: YahooEndpoints.crumbPath, status: answer.status,
                message: "the crumb endpoint sent something other than a crumb", body: answer.body)
        }
        return YahooCredentials(cookie: cookie, crumb: crumb, generation: generation)
    }

    /// `name=value` of every `Set-Cookie` (attributes dropped, a later value of a name winning),
    /// joined as one `Cookie` header; nil when there is none.
    static func cookieHeader(from setCookies: [String]) -> String? {
        var pairs: [(name: String, value: String)] = []
        for line in setCookies {
            let pair = line.prefix { $0 != ";" }
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingBlanks()
            let value = String(pair[pair.index(after: equals)...]).trimmingBlanks()
            guard !name.isEmpty, !value.isEmpty else { continue }
            pairs.removeAll { $0.name == name }
            pairs.append((name, value))
        }
        return pairs.isEmpty ? nil : pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }
}

extension String {
    /// The values of a `Cookie` header's `name=value` pairs.
    fileprivate var cookieValues: [String] {
        split(separator: ";").compactMap { pair in
            pair.firstIndex(of: "=").map { String(pair[pair.index(after: $0)...]) }
        }
    }
}
