/// Polygon (Massive) stream frames as the stream services read them: `PolygonStreamDecoder`
/// (bytes to values, the hot path) with its events mapped to `StreamMessage`. A frame it
/// refuses for one bad event is decoded again event by event, so the others are kept and the
/// bad one is `.malformed` in its place ("a 'T' message for AAPL without 'p'"). Values are
/// mapped as sent (a trade at 0 too): judging them is the validator's job.
public struct PolygonStreamMessageDecoder: StreamMessageDecoder {
    private let shared = SharedStreamDecoder<PolygonStreamDecoder>()

    public init() {}

    public func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        shared.decode(frame, source: source, receivedAt: receivedAt)
    }
}

extension PolygonStreamDecoder: StreamMessageMapping {
    static let frameShape = "a JSON array of messages"

    static func streamMessages(_ messages: [PolygonStreamMessage]) -> [StreamMessage] {
        messages.map(\.streamMessage)
    }

    mutating func messagesOneByOne(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) -> [StreamMessage]? {
        messagesOneByOne(inArray: frame, receivedAt: receivedAt, type: "ev", symbol: "sym")
    }
}

extension PolygonStreamMessage {
    /// Statuses: `connected`, `auth_success`, `success` (a subscription answer, ignored); any
    /// other is a failure, `.error(code: 0, "status: message")` (`auth_failed`, `max_connections`).
    var streamMessage: StreamMessage {
        switch self {
        case .status(status: "connected", _): .connected
        case .status(status: "auth_success", _): .authenticated
        case .status(status: "success", _): .ignored(type: "status")
        case .status(let status, let message): .error(code: 0, message: "\(status): \(message)")
        case .trade(let trade): .event(.trade(trade))
        case .quote(let quote): .event(.quote(quote))
        case .bar(let bar): .event(.bar(bar))
        case .unknown(let event): .ignored(type: event)
        }
    }
}
