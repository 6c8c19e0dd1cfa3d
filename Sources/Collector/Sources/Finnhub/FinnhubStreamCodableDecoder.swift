import Foundation

/// Decodes Finnhub stream frames (provider-formats.md §5.4) with Codable: one JSON object per
/// frame, `{"type":"trade","data":[{"s","p","t" (Unix ms),"v"}]}`, `{"type":"ping"}`, and
/// `{"type":"error","msg":...}`.
public struct FinnhubStreamCodableDecoder: StreamMessageDecoder {
    public init() {}

    struct Frame: Decodable {
        var type: String
        var msg: String?
        var data: [Element]?
    }

    struct Element: Decodable {
        var trade: Trade?
        init(from decoder: any Decoder) throws { trade = try? Trade(from: decoder) }
    }

    struct Trade: Decodable {
        var s: String
        var p: Double
        var t: Int64
        var v: Double?
    }

    public func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        guard let decoded = try? JSONDecoder().decode(Frame.self, from: Data(frame.utf8)) else {
            return [.malformed("not a Finnhub message: \(ProviderMessage.shorten(frame, limit: 60))")]
        }
        switch decoded.type {
        case "trade":
            return (decoded.data ?? []).map { element in
                guard let wire = element.trade, let symbol = try? Symbol(wire.s), wire.p > 0 else {
                    return .malformed("a trade without a readable symbol, price or time")
                }
                return .event(.trade(Collector.Trade(
                    symbol: symbol, source: source, price: wire.p, size: wire.v ?? 0,
                    exchangeTime: Timestamp(milliseconds: wire.t), receivedAt: receivedAt)))
            }
        case "error":
            return [.error(code: 0, message: decoded.msg ?? "")]
        default:
            return [.ignored(type: decoded.type)]
        }
    }
}
