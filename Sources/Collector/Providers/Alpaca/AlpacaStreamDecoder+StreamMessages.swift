/// Alpaca stream frames as the stream services read them (the name the tests and the benchmark use).
package typealias AlpacaStreamMessageDecoder = StreamFrameMessageDecoder<AlpacaStreamDecoder>

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
