import Foundation

/// What a loopback server answers to one request.
package struct StubResponse: Sendable {
    package var status: Int
    package var headers: [(String, String)]
    package var body: [UInt8]
    /// Never answer (until the server stops): the client's timeout must fire.
    package var hangs: Bool = false

    package init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> StubResponse {
        StubResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    package static func text(_ text: String, status: Int, contentType: String = "text/plain") -> StubResponse {
        StubResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    /// An HTML page such as a CDN's outage or challenge page.
    package static func html(status: Int = 503, title: String = "Service Unavailable") -> StubResponse {
        text(
            "<!DOCTYPE html><html><head><title>\(title)</title></head><body><h1>\(title)</h1></body></html>",
            status: status, contentType: "text/html; charset=utf-8")
    }

    /// A response that never comes.
    package static var hang: StubResponse {
        var response = StubResponse()
        response.hangs = true
        return response
    }
}

/// One request the loopback server received.
package struct RecordedRequest: Sendable {
    package var method: String
    package var path: String
    /// The raw (percent-encoded) query string, without `?`.
    package var query: String?
    package var headers: [(String, String)]

    /// Decoded query parameters in order.
    package var queryItems: [URLQueryItem] {
        var components = URLComponents()
        components.percentEncodedQuery = query
        return components.queryItems ?? []
    }

    /// The first value of a query parameter.
    package func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The first value of a header, matched without regard to case.
    package func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}
