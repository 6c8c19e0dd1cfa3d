/// One header line. A list keeps order and repeated names (e.g. `Set-Cookie`).
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request a provider client sends. Its `url` may carry a key in the query
/// string; anything that prints a request goes through `Redactor` first.
public struct HTTPRequest: Sendable, Hashable {
    package var method: String
    package var url: String
    package var headers: [HTTPHeader]
    package var timeout: Duration

    package init(method: String = "GET", url: String, headers: [HTTPHeader] = [], timeout: Duration = .seconds(10)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.timeout = timeout
    }
}
