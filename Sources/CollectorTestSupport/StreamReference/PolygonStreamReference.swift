import Collector
import Foundation

/// Polygon stream frames decoded with `JSONDecoder` into Codable wire structs, then mapped:
/// the reference `PolygonStreamDecoder` is tested against. Never use it on the hot path.
package enum PolygonStreamReference {
    package static func decode(_ frame: Data, context: StreamReferenceContext) throws -> [PolygonStreamMessage] {
        try context.jsonDecoder().decode([Message].self, from: frame).map(\.value)
    }

    struct Message: Decodable {
        var value: PolygonStreamMessage

        enum TypeKey: String, CodingKey { case ev }

        init(from decoder: any Decoder) throws {
            let event = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .ev)
            let context = StreamReferenceContext.from(decoder)
            let index = StreamReferenceContext.messageIndex(decoder)
            func symbol(_ ticker: String) throws -> Symbol {
                try context.symbol(ticker, field: "sym", message: index) { try PolygonStreamDecoder.symbol(ticker: $0) }
            }
            switch event {
            case "Q":
                let wire = try QuoteWire(from: decoder)
                value = .quote(
                    Quote(
                        symbol: try symbol(wire.sym), source: context.source, bid: wire.bp, bidSize: wire.bs,
                        ask: wire.ap, askSize: wire.as,
                        exchangeTime: try context.time(milliseconds: wire.t, field: "t", message: index),
                        receivedAt: context.receivedAt))
            case "T":
                let wire = try TradeWire(from: decoder)
                value = .trade(
                    Trade(
                        symbol: try symbol(wire.sym), source: context.source, price: wire.p, size: wire.s ?? 0,
                        exchangeTime: try context.time(milliseconds: wire.t, field: "t", message: index),
                        receivedAt: context.receivedAt, tradeID: wire.i))
            case "AM":
                let wire = try AggregateWire(from: decoder)
                value = .bar(
                    Bar(
                        symbol: try symbol(wire.sym), source: context.source, timeframe: .oneMinute,
                        start: try context.time(milliseconds: wire.s, field: "s", message: index), open: wire.o,
                        high: wire.h, low: wire.l, close: wire.c, volume: wire.v, vwap: wire.vw))
            case "status":
                let wire = try StatusWire(from: decoder)
                value = .status(status: wire.status, message: wire.message ?? "")
            default:
                value = .unknown(event: event)
            }
        }
    }

    // Property order is the order fields are checked in; the fast decoder follows it.

    struct QuoteWire: Decodable {
        var sym: String
        var bp: Double
        var bs: Double?
        var ap: Double
        var `as`: Double?
        var t: Int64
    }

    struct TradeWire: Decodable {
        var sym: String
        var p: Double
        var s: Double?
        var t: Int64
        var i: String?
    }

    struct AggregateWire: Decodable {
        var sym: String
        var o: Double
        var h: Double
        var l: Double
        var c: Double
        var v: Double
        var vw: Double?
        var s: Int64
    }

    struct StatusWire: Decodable {
        var status: String
        var message: String?
    }
}
