import Collector
import Foundation

/// Finnhub WebSocket frames decoded with `JSONDecoder` into Codable wire structs, then
/// mapped: the reference `FinnhubStreamDecoder` is tested against. Never use it on the hot path.
package enum FinnhubStreamReference {
    package static func decode(_ frame: Data, context: StreamReferenceContext) throws -> FinnhubStreamMessage {
        try context.jsonDecoder().decode(Frame.self, from: frame).value
    }

    struct Frame: Decodable {
        var value: FinnhubStreamMessage

        enum Keys: String, CodingKey { case type, data, msg }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "trade": value = .trades(try container.decode([TradeWire].self, forKey: .data).map(\.trade))
            case "ping": value = .ping
            case "error": value = .error(message: try container.decodeIfPresent(String.self, forKey: .msg) ?? "")
            default: value = .unknown(type: type)
            }
        }
    }

    /// One trade, mapped where it is decoded. Property order is the order fields are checked in.
    struct TradeWire: Decodable {
        var trade: Trade

        enum Keys: String, CodingKey { case s, p, t, v }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            let s = try container.decode(String.self, forKey: .s)
            let p = try container.decode(Double.self, forKey: .p)
            let t = try container.decode(Int64.self, forKey: .t)
            let v = try container.decodeIfPresent(Double.self, forKey: .v)
            let context = StreamReferenceContext.from(decoder)
            let index = StreamReferenceContext.messageIndex(decoder)
            trade = Trade(
                symbol: try context.symbol(s, field: "s", message: index) { try FinnhubStreamDecoder.symbol($0) },
                source: context.source, price: p,
                size: v ?? 0, exchangeTime: try context.time(milliseconds: t, field: "t", message: index),
                receivedAt: context.receivedAt)
        }
    }
}
