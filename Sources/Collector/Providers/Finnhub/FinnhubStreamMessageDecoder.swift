/// Finnhub stream frames as the stream services read them: `FinnhubStreamDecoder` (bytes to
/// values, the hot path) with its frame mapped to `StreamMessage`s. Pings are
/// `.ignored(type: "ping")`, never market data. A trade frame it refuses for one bad trade is
/// decoded again trade by trade, so the others are kept and the bad one is `.malformed` in its
/// place ("a trade for AAPL without 'p'"). Values are mapped as sent (a price of 0 too):
/// judging them is the validator's job.
public struct FinnhubStreamMessageDecoder: StreamMessageDecoder {
    private let shared = SharedStreamDecoder<FinnhubStreamDecoder>()

    public init() {}

    public func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        shared.decode(frame, source: source, receivedAt: receivedAt)
    }
}

extension FinnhubStreamDecoder: StreamMessageMapping {
    static let frameShape = "a Finnhub message"

    static func streamMessages(_ message: FinnhubStreamMessage) -> [StreamMessage] {
        switch message {
        case .trades(let trades): trades.map { .event(.trade($0)) }
        case .ping: [.ignored(type: "ping")]
        case .error(let message): [.error(code: 0, message: message)]
        case .unknown(let type): [.ignored(type: type)]
        }
    }

    /// Each trade of a trade frame on its own. A trade frame without `data` carries no trades.
    mutating func messagesOneByOne(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) -> [StreamMessage]? {
        guard JSONReader.text(of: "type", in: frame) == "trade" else { return nil }
        guard let data = JSONReader.member("data", of: frame), !data.isNull else { return [] }
        var reader = JSONReader(frame, offset: data.start)
        guard data.kind == .array, let trades = try? reader.readElementRanges(depth: 1) else { return nil }
        return decodeEach(trades, of: frame, wrappedIn: #"{"type":"trade","data":["#, "]}", receivedAt: receivedAt) { trade in
            "a trade" + Self.naming("s", in: trade)
        }
    }
}
