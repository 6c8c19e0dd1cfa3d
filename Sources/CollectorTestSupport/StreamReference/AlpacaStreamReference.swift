import Collector
import Foundation

/// Alpaca stream frames decoded the slow, obvious way: `JSONDecoder` into Codable wire
/// structs, then mapped. The differential tests and the benchmark compare
/// `AlpacaStreamDecoder` against it; never use it on the hot path.
package enum AlpacaStreamReference {
    package static func decode(_ frame: Data, context: StreamReferenceContext) throws -> [AlpacaStreamMessage] {
        try context.jsonDecoder().decode([Message].self, from: frame).map(\.value)
    }

    /// One message: `T` first, then the wire struct of that type, mapped on the spot.
    struct Message: Decodable {
        var value: AlpacaStreamMessage

        enum TypeKey: String, CodingKey { case T }

        init(from decoder: any Decoder) throws {
            let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .T)
            let context = StreamReferenceContext.from(decoder)
            let index = StreamReferenceContext.messageIndex(decoder)
            switch type {
            case "q":
                let wire = try QuoteWire(from: decoder)
                value = .quote(
                    Quote(
                        symbol: try context.symbol(wire.S, field: "S", message: index), source: context.source,
                        bid: wire.bp, bidSize: wire.bs, ask: wire.ap, askSize: wire.as,
                        exchangeTime: try context.time(wire.t, field: "t", message: index),
                        receivedAt: context.receivedAt))
            case "t":
                let wire = try TradeWire(from: decoder)
                value = .trade(
                    Trade(
                        symbol: try context.symbol(wire.S, field: "S", message: index), source: context.source,
                        price: wire.p, size: wire.s ?? 0, exchangeTime: try context.time(wire.t, field: "t", message: index),
                        receivedAt: context.receivedAt, tradeID: wire.i.map { String($0) }))
            case "b", "u", "d":
                let kind = AlpacaStreamMessage.BarKind(rawValue: type)!
                let wire = try BarWire(from: decoder)
                let symbol = try context.symbol(wire.S, field: "S", message: index)
                let stamp = try context.time(wire.t, field: "t", message: index)
                // Daily bars start at the UTC midnight of their New York date (AlpacaMapping.barStart).
                let start = kind != .daily || stamp.startOfUTCDay == stamp ? stamp : stamp.newYorkTradingDay
                value = .bar(
                    Bar(
                        symbol: symbol, source: context.source, timeframe: kind.timeframe, start: start, open: wire.o,
                        high: wire.h, low: wire.l, close: wire.c, volume: wire.v, vwap: wire.vw, tradeCount: wire.n),
                    kind)
            case "success":
                value = .success(message: try SuccessWire(from: decoder).msg)
            case "error":
                let wire = try ErrorWire(from: decoder)
                value = .error(code: wire.code, message: wire.msg ?? "")
            case "subscription":
                let wire = try SubscriptionWire(from: decoder)
                value = .subscription(
                    .init(
                        trades: wire.trades ?? [], quotes: wire.quotes ?? [], bars: wire.bars ?? [],
                        updatedBars: wire.updatedBars ?? [], dailyBars: wire.dailyBars ?? [],
                        statuses: wire.statuses ?? []))
            default:
                value = .unknown(type: type)
            }
        }
    }

    // Property order is the order fields are checked in; the fast decoder follows it.

    struct QuoteWire: Decodable {
        var S: String
        var bp: Double
        var bs: Double?
        var ap: Double
        var `as`: Double?
        var t: String
    }

    struct TradeWire: Decodable {
        var S: String
        var p: Double
        var s: Double?
        var i: Int64?
        var t: String
    }

    struct BarWire: Decodable {
        var S: String
        var o: Double
        var h: Double
        var l: Double
        var c: Double
        var v: Double
        var n: Int?
        var vw: Double?
        var t: String
    }

    struct SuccessWire: Decodable {
        var msg: String
    }

    struct ErrorWire: Decodable {
        var code: Int
        var msg: String?
    }

    struct SubscriptionWire: Decodable {
        var trades: [String]?
        var quotes: [String]?
        var bars: [String]?
        var updatedBars: [String]?
        var dailyBars: [String]?
        var statuses: [String]?
    }
}
