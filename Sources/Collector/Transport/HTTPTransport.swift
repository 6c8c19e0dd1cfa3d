/// Sends one HTTP request and returns the whole response. Provider clients
/// talk to the network only through this, so tests can aim them anywhere.
public protocol HTTPTransport: Sendable {
    /// Throws `TransportError` when no response arrives; any status is a response.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// No response: the request timed out, or the server could not be reached.
package enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(after: Duration)
    case unreachable(reason: String)
    case bodyTooLarge(limit: Int)

    package var description: String {
        switch self {
        case .timeout(let after): "no answer within \(after.ageText)"
        case .unreachable(let reason): "could not connect: \(reason)"
        case .bodyTooLarge(let limit): "the response is larger than \(limit / 1_048_576) MiB"
        }
    }
}
