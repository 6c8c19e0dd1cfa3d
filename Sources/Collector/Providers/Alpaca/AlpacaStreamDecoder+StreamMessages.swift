/// Alpaca stream frames as the stream services read them: `StreamFrameMessageDecoder` over
/// `AlpacaStreamDecoder`, behind a concrete type so the compiler specializes the generic code
/// for it (reached as `any StreamMessageDecoder` through the generic class itself, it ran
/// unspecialized: 30% slower per frame).
package struct AlpacaStreamMessageDecoder: StreamMessageDecoder {
    private let frames = StreamFrameMessageDecoder<AlpacaStreamDecoder>()

    package init() {}

    package func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        frames.decode(frame, source: source, receivedAt: receivedAt)
    }
}

/// A frame refused for one bad message is decoded again message by message.
extension AlpacaStreamDecoder: StreamMessageMapping {
    package static let frameShape = "a JSON array of messages"

    package static func streamMessages(_ messages: [AlpacaStreamMessage]) -> [StreamMessage] {
        messages.map(\.streamMessage)
    }

    package mutating func messagesOneByOne(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) -> [StreamMessage]? {
        messagesOneByOne(inArray: frame, receivedAt: receivedAt, type: "T", symbol: "S")
    }
}

extension AlpacaStreamMessage {
    /// `success` says `connected` then `authenticated` (other texts are ignored); the
    /// subscription echo keeps the channels ticktop subscribes.
    var streamMessage: StreamMessage {
        switch self {
        case .success(message: "connected"): .connected
        case .success(message: "authenticated"): .authenticated
        case .success: .ignored(type: "success")
        case .subscription(let channels): .subscription(trades: channels.trades, quotes: channels.quotes, bars: channels.bars)
        case .error(let code, let message): .error(code: code, message: message)
        case .trade(let trade): .event(.trade(trade))
        case .quote(let quote): .event(.quote(quote))
        case .bar(let bar, _): .event(.bar(bar))
        case .unknown(let type): .ignored(type: type)
        }
    }
}
