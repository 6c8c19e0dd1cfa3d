/// Polygon (Massive) stream frames as the stream services read them: `StreamFrameMessageDecoder` over
/// `PolygonStreamDecoder`, behind a concrete type so the compiler specializes the generic code
/// for it (reached as `any StreamMessageDecoder` through the generic class itself, it ran
/// unspecialized: 30% slower per frame).
package struct PolygonStreamMessageDecoder: StreamMessageDecoder {
    private let frames = StreamFrameMessageDecoder<PolygonStreamDecoder>()

    package init() {}

    package func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        frames.decode(frame, source: source, receivedAt: receivedAt)
    }
}

/// Polygon (Massive) stream frames as the stream services read them, through
/// `StreamFrameMessageDecoder`: a frame refused for one bad event is decoded again event by event
/// ("a 'T' message for AAPL without 'p'").
extension PolygonStreamDecoder: StreamMessageMapping {
    package static let frameShape = "a JSON array of messages"

    package static func streamMessages(_ messages: [PolygonStreamMessage]) -> [StreamMessage] {
        messages.map(\.streamMessage)
    }

    package mutating func messagesOneByOne(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) -> [StreamMessage]? {
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
