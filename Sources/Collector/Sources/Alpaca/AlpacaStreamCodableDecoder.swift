import Foundation

/// Decodes Alpaca stream frames with Codable (the byte-level `AlpacaStreamDecoder` may replace it).
/// Trades `t`, quotes `q`, minute bars `b`, updated bars `u` and daily bars `d` become values with
/// exact RFC 3339 times; control messages become their `StreamMessage`; an element with a missing
/// field or an unreadable time is `.malformed`, never a value with a made-up field.
public struct AlpacaStreamCodableDecoder: StreamMessageDecoder {
    public init() {}

    public func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
        let elements: [Element]
        do {
            elements = try JSONDecoder().decode([Element].self, from: Data(frame.utf8))
        } catch {
            return [.malformed("not a JSON array of messages: \(ProviderMessage.shorten(frame, limit: 60))")]
        }
        return elements.map { element in
            guard let message = element.message else {
                guard let header = element.header else { return .malformed("an element without a type 'T'") }
                return .malformed("a '\(header.T)' message\(header.S.map { " for \($0)" } ?? "") with a field of the wrong type")
            }
            return Self.map(message, source: source, receivedAt: receivedAt)
        }
    }

    /// Decodes each element on its own, so one bad element does not lose the batch.
    struct Element: Decodable {
        var message: AlpacaStreamWire.Message?
        /// The type and symbol alone, to name an element whose other fields are unreadable.
        var header: Header?
        struct Header: Decodable {
            var T: String
            var S: String?
        }

        init(from decoder: any Decoder) throws {
            message = try? AlpacaStreamWire.Message(from: decoder)
            header = message == nil ? try? Header(from: decoder) : nil
        }
    }

    static func map(_ m: AlpacaStreamWire.Message, source: SourceID, receivedAt: Timestamp) -> StreamMessage {
        switch m.T {
        case "success":
            switch m.msg {
            case "connected": return .connected
            case "authenticated": return .authenticated
            default: return .ignored(type: "success")
            }
        case "error":
            return .error(code: m.code ?? 0, message: m.msg ?? "")
        case "subscription":
            return .subscription(trades: m.trades ?? [], quotes: m.quotes ?? [], bars: m.bars ?? [])
        case "t":
            guard let (symbol, time) = Self.symbolAndTime(m), let price = m.p, price > 0 else { return malformed(m) }
            return .event(.trade(Trade(
                symbol: symbol, source: source, price: price, size: m.s ?? 0, exchangeTime: time,
                receivedAt: receivedAt, tradeID: m.i.map { String($0) })))
        case "q":
            guard let (symbol, time) = Self.symbolAndTime(m), let bid = m.bp, let ask = m.ap else { return malformed(m) }
            return .event(.quote(Quote(
                symbol: symbol, source: source, bid: bid, bidSize: m.bs ?? 0, ask: ask, askSize: m.as ?? 0,
                exchangeTime: time, receivedAt: receivedAt)))
        case "b", "u", "d":
            guard let (symbol, time) = Self.symbolAndTime(m), let open = m.o, let high = m.h, let low = m.l,
                let close = m.c?.price, let volume = m.v
            else { return malformed(m) }
            let timeframe: Timeframe = m.T == "d" ? .oneDay : .oneMinute
            return .event(.bar(Bar(
                symbol: symbol, source: source, timeframe: timeframe,
                start: AlpacaMapping.barStart(time, timeframe: timeframe), open: open, high: high, low: low,
                close: close, volume: volume, vwap: m.vw, tradeCount: m.n)))
        default:
            return .ignored(type: m.T)
        }
    }

    static func symbolAndTime(_ m: AlpacaStreamWire.Message) -> (Symbol, Timestamp)? {
        guard let text = m.S, let symbol = try? Symbol(text), let stamp = m.t, let time = Timestamp(rfc3339: stamp)
        else { return nil }
        return (symbol, time)
    }

    static func malformed(_ m: AlpacaStreamWire.Message) -> StreamMessage {
        .malformed("a '\(m.T)' message\(m.S.map { " for \($0)" } ?? "") without a readable symbol, time or price")
    }
}
