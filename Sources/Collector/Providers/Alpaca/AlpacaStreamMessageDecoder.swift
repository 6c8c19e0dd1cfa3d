/// Alpaca stream frames as the stream services read them: `AlpacaStreamDecoder` (bytes to
/// values, the hot path) with its messages mapped to `StreamMessage`. A frame it refuses for
/// one bad message is decoded again message by message, so the others are kept and the bad
/// one is `.malformed` in its place ("a 'q' message for AAPL with an unusable 'bp': ...").
/// Values are mapped as sent (a trade at 0 too): judging them is the validator's job.
public struct AlpacaStreamMessageDecoder: StreamMessageDecoder {
    private let shared = SharedStreamDecoder<AlpacaStreamDecoder>()

    public init() {}

    public func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        shared.decode(frame, source: source, receivedAt: receivedAt)
    }
}

extension AlpacaStreamDecoder: StreamMessageMapping {
    static let frameShape = "a JSON array of messages"

    static func streamMessages(_ messages: [AlpacaStreamMessage]) -> [StreamMessage] {
        messages.map(\.streamMessage)
    }

    mutating func messagesOneByOne(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) -> [StreamMessage]? {
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
