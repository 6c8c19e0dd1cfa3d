/// A failure talking to a source. Messages carry context (source, symbol,
/// status, a short body excerpt) and never an API key.
public enum SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source does not offer this capability.
    case unsupported(source: SourceID, capability: String)
    /// The source is not answering (outage, connection refused, timeout).
    case unavailable(source: SourceID, reason: String)
    /// The source answered with something that could not be understood.
    case badResponse(source: SourceID, symbol: Symbol?, reason: String)
    /// The source refused: bad key, no entitlement, rate limit.
    case rejected(source: SourceID, status: Int?, reason: String)

    public var source: SourceID {
        switch self {
        case .unsupported(let s, _), .unavailable(let s, _), .badResponse(let s, _, _), .rejected(let s, _, _): s
        }
    }

    public var description: String {
        switch self {
        case .unsupported(let s, let capability):
            "\(s.label) does not provide \(capability)"
        case .unavailable(let s, let reason):
            "\(s.label) is unavailable: \(reason)"
        case .badResponse(let s, let symbol, let reason):
            "\(s.label) sent a bad response\(symbol.map { " for \($0)" } ?? ""): \(reason)"
        case .rejected(let s, let status, let reason):
            "\(s.label) refused the request\(status.map { " (HTTP \($0))" } ?? ""): \(reason)"
        }
    }
}
