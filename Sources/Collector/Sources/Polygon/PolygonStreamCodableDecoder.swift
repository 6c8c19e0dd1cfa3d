import Foundation

/// Decodes Polygon (Massive) stream frames (provider-formats.md §4.4) with Codable: trades `T`,
/// quotes `Q` and minute aggregates `AM` with Unix-millisecond times; `status` messages become
/// control messages (`connected`, `auth_success`; failures as `.error(code: 0, "status: message")`).
/// Quote sizes stay in round lots, as the REST quotes do.
public struct PolygonStreamCodableDecoder: StreamMessageDecoder {
    public init() {}

    struct Message: Decodable {
        var ev: String
        var sym: String?
        var status: String?
        var message: String?
        var p: Double?
        var s: Double?
        var t: Int64?
        var i: StringOrNumbers?
        var bp: Double?
        var bs: Double?
        var ap: Double?
        var `as`: Double?
        var o: Double?
        var h: Double?
        var l: Double?
        var c: Flexible?
        var v: Double?
        var vw: Double?
    }

    /// `i` is a trade id (String) on trades and a list of indicators on quotes.
    struct StringOrNumbers: Decodable {
        var text: String?
        init(from decoder: any Decoder) throws {
            text = try? decoder.singleValueContainer().decode(String.self)
        }
    }

    /// `c` is the close on aggregates, conditions (Int or [Int]) elsewhere.
    struct Flexible: Decodable {
        var number: Double?
        init(from decoder: any Decoder) throws {
            number = try? decoder.singleValueContainer().decode(Double.self)
        }
    }

    struct Element: Decodable {
        var message: Message?
        init(from decoder: any Decoder) throws { message = try? Message(from: decoder) }
    }

    public func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        guard let elements = try? JSONDecoder().decode([Element].self, from: Data(frame.utf8)) else {
            return [.malformed("not a JSON array of messages: \(ProviderMessage.shorten(frame, limit: 60))")]
        }
        return elements.map { element in
            guard let m = element.message else { return .malformed("an element without a readable 'ev'") }
            return Self.map(m, source: source, receivedAt: receivedAt)
        }
    }

    static func map(_ m: Message, source: SourceID, receivedAt: Timestamp) -> StreamMessage {
        switch m.ev {
        case "status":
            switch m.status {
            case "connected": return .connected
            case "auth_success": return .authenticated
            case "success": return .ignored(type: "status")
            default: return .error(code: 0, message: "\(m.status ?? "?"): \(m.message ?? "")")
            }
        case "T":
            guard let symbol = m.sym.flatMap({ try? Symbol($0) }), let t = m.t, let price = m.p, price > 0 else { return malformed(m) }
            return .event(.trade(Trade(
                symbol: symbol, source: source, price: price, size: m.s ?? 0, exchangeTime: Timestamp(milliseconds: t),
                receivedAt: receivedAt, tradeID: m.i?.text)))
        case "Q":
            guard let symbol = m.sym.flatMap({ try? Symbol($0) }), let t = m.t, let bid = m.bp, let ask = m.ap else { return malformed(m) }
            return .event(.quote(Quote(
                symbol: symbol, source: source, bid: bid, bidSize: m.bs ?? 0, ask: ask, askSize: m.as ?? 0,
                exchangeTime: Timestamp(milliseconds: t), receivedAt: receivedAt)))
        case "AM":
            guard let symbol = m.sym.flatMap({ try? Symbol($0) }), let start = m.s, let open = m.o, let high = m.h,
                let low = m.l, let close = m.c?.number, let volume = m.v
            else { return malformed(m) }
            return .event(.bar(Bar(
                symbol: symbol, source: source, timeframe: .oneMinute, start: Timestamp(milliseconds: Int64(start)),
                open: open, high: high, low: low, close: close, volume: volume, vwap: m.vw)))
        default:
            return .ignored(type: m.ev)
        }
    }

    static func malformed(_ m: Message) -> StreamMessage {
        .malformed("a '\(m.ev)' message\(m.sym.map { " for \($0)" } ?? "") without a readable symbol, time or price")
    }
}
