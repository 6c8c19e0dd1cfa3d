/// Finnhub stream frames as the stream services read them: `StreamFrameMessageDecoder` over
/// `FinnhubStreamDecoder`, behind a concrete type so the compiler specializes the generic code
/// for it (reached as `any StreamMessageDecoder` through the generic class itself, it ran
/// unspecialized: 30% slower per frame).
package struct FinnhubStreamMessageDecoder: StreamMessageDecoder {
    private let frames = StreamFrameMessageDecoder<FinnhubStreamDecoder>()

    package init() {}

    package func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        frames.decode(frame, source: source, receivedAt: receivedAt)
    }
}

/// Finnhub stream frames as the stream services read them, through `StreamFrameMessageDecoder`:
/// pings are `.ignored(type: "ping")`, never market data; a trade frame refused for one bad trade
/// is decoded again trade by trade ("a trade for AAPL without 'p'").
extension FinnhubStreamDecoder: StreamMessageMapping {
    package static let frameShape = "a Finnhub message"

    package static func streamMessages(_ message: FinnhubStreamMessage) -> [StreamMessage] {
        switch message {
        case .trades(let trades): trades.map { .event(.trade($0)) }
        case .ping: [.ignored(type: "ping")]
        case .error(let message): [.error(code: 0, message: message)]
        case .unknown(let type): [.ignored(type: type)]
        }
    }

    /// Each trade of a trade frame on its own. A trade frame without `data` carries no trades.
    package mutating func messagesOneByOne(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) -> [StreamMessage]? {
        guard JSONReader.text(of: "type", in: frame) == "trade" else { return nil }
        guard let data = JSONReader.member("data", of: frame), !data.isNull else { return [] }
        var reader = JSONReader(frame, offset: data.start)
        guard data.kind == .array, let trades = try? reader.readElementRanges(depth: 1) else { return nil }
        return decodeEach(trades, of: frame, wrappedIn: #"{"type":"trade","data":["#, "]}", receivedAt: receivedAt) { trade in
            "a trade" + Self.naming("s", in: trade)
        }
    }
}
