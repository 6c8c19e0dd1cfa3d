import Collector
import CollectorTestSupport
import Foundation
import Testing

/// `Quote` stores its optional prices and sizes as `CompactOptionalDouble`, `Bar` its VWAP: they
/// must read, compare and encode exactly as the `Double?` fields they had (`ReferenceQuote`,
/// `ReferenceBar`: the old layouts, with the synthesised conformances).
@Suite("Compact optional doubles")
struct CompactOptionalDoubleTests {
    /// The old `Quote`'s fields with the synthesised `Codable` and `Equatable`.
    struct ReferenceQuote: Codable, Equatable {
        var symbol: Symbol
        var source: SourceID
        var bid: Double?
        var bidSize: Double?
        var ask: Double?
        var askSize: Double?
        var last: Double?
        var exchangeTime: Timestamp
        var receivedAt: Timestamp
        var previousClose: Double?
        var dayVolume: Double?

        var quote: Quote {
            Quote(
                symbol: symbol, source: source, bid: bid, bidSize: bidSize, ask: ask, askSize: askSize, last: last,
                exchangeTime: exchangeTime, receivedAt: receivedAt, previousClose: previousClose, dayVolume: dayVolume)
        }

        var fields: [Double?] { [bid, bidSize, ask, askSize, last, previousClose, dayVolume] }
    }

    static let specials: [Double] = [
        .nan, -.nan, .signalingNaN, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        Double(bitPattern: CompactOptionalDouble.absentPattern),  // a provider's NaN that happens to be the reserved one
        Double(bitPattern: CompactOptionalDouble.absentPattern ^ 1)
    ]

    /// Every present/absent combination of the seven fields, each present one a special value
    /// or a seeded random one.
    static func references() -> [ReferenceQuote] {
        var random = SplitMix64(seed: 17)
        return (0..<(1 << 7)).flatMap { mask in
            (0..<8).map { _ in
                func draw(_ field: Int) -> Double? {
                    guard mask & (1 << field) != 0 else { return nil }
                    return random.below(2) == 0
                        ? specials[random.below(specials.count)] : Double(bitPattern: random.next())
                }
                return ReferenceQuote(
                    symbol: MarketFixtures.symbol("AAPL"), source: .simulated, bid: draw(0), bidSize: draw(1), ask: draw(2),
                    askSize: draw(3), last: draw(4), exchangeTime: Timestamp(nanoseconds: Int64(mask)),
                    receivedAt: Timestamp(nanoseconds: Int64(mask) + 1), previousClose: draw(5), dayVolume: draw(6))
            }
        }
    }

    /// Equal bits, or both NaN (a NaN's payload is not kept), or both absent.
    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
        default: false
        }
    }

    @Test func readsBackEveryFieldCombination() {
        for reference in Self.references() {
            let quote = reference.quote
            let read: [Double?] = [
                quote.bid, quote.bidSize, quote.ask, quote.askSize, quote.last, quote.previousClose, quote.dayVolume
            ]
            for (field, (want, got)) in zip(reference.fields, read).enumerated() {
                #expect(Self.same(want, got), "field \(field): \(String(describing: want)) read back as \(String(describing: got))")
            }
            #expect(quote.isLastTrade == (reference.bid == nil && reference.ask == nil))
            #expect(Self.same(quote.mid, reference.bid.flatMap { b in reference.ask.map { DecimalArithmetic.midpoint(b, $0) } }))
        }
    }

    @Test func setsFieldsAsDoubleOptionals() {
        var quote = MarketFixtures.quote()
        for value in Self.specials + [12.5] {
            quote.bid = value
            #expect(Self.same(quote.bid, value))
            quote.dayVolume = value
            #expect(Self.same(quote.dayVolume, value))
        }
        quote.bid = nil
        quote.dayVolume = nil
        #expect(quote.bid == nil && quote.dayVolume == nil)
    }

    @Test func comparesAsDoubleOptionals() {
        let references = Self.references()
        var random = SplitMix64(seed: 71)
        for _ in 0..<4_000 {
            let a = references[random.below(references.count)]
            var b = random.below(2) == 0 ? a : references[random.below(references.count)]
            if random.below(3) == 0 { b.exchangeTime = a.exchangeTime; b.receivedAt = a.receivedAt }
            #expect((a.quote == b.quote) == (a == b), "\(a) vs \(b)")
            if a.quote == b.quote { #expect(a.quote.hashValue == b.quote.hashValue) }
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // unsorted, the order of keys is the dictionary's, not the fields'
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    @Test func encodesAndDecodesQuotesAsBefore() throws {
        let (encoder, decoder) = (Self.encoder, Self.decoder)
        for reference in Self.references() {
            let before = try encoder.encode(reference)
            let after = try encoder.encode(reference.quote)
            #expect(String(decoding: after, as: UTF8.self) == String(decoding: before, as: UTF8.self))
            let decoded = try decoder.decode(Quote.self, from: before)
            let back = try decoder.decode(ReferenceQuote.self, from: after)
            for (want, got) in zip(reference.fields, back.fields) { #expect(Self.same(want, got)) }
            #expect(decoded.symbol == reference.symbol && decoded.exchangeTime == reference.exchangeTime)
            #expect(Self.same(decoded.askSize, reference.askSize) && Self.same(decoded.dayVolume, reference.dayVolume))
        }
    }

    /// The old `Bar`'s fields, in their old order, with the synthesised `Codable` and `Equatable`.
    struct ReferenceBar: Codable, Equatable {
        var symbol: Symbol
        var source: SourceID
        var timeframe: Timeframe
        var start: Timestamp
        var open: Double
        var high: Double
        var low: Double
        var close: Double
        var volume: Double
        var vwap: Double?
        var tradeCount: Int?

        var bar: Bar {
            Bar(
                symbol: symbol, source: source, timeframe: timeframe, start: start, open: open, high: high, low: low,
                close: close, volume: volume, vwap: vwap, tradeCount: tradeCount)
        }
    }

    @Test func barsReadCompareAndEncodeAsBefore() throws {
        let (encoder, decoder) = (Self.encoder, Self.decoder)
        var random = SplitMix64(seed: 106)
        let references = (0..<400).map { n in
            ReferenceBar(
                symbol: MarketFixtures.symbol("MSFT"), source: .simulated, timeframe: Timeframe.allCases[n % Timeframe.allCases.count],
                start: Timestamp(nanoseconds: Int64(n) * 60_000_000_000), open: 10, high: 12, low: 9, close: 11,
                volume: Double(n), vwap: n % 3 == 0 ? nil : Self.specials[random.below(Self.specials.count)],
                tradeCount: n % 5 == 0 ? nil : random.below(1_000))
        }
        for reference in references {
            let bar = reference.bar
            #expect(Self.same(bar.vwap, reference.vwap) && bar.tradeCount == reference.tradeCount)
            let before = try encoder.encode(reference)
            let after = try encoder.encode(bar)
            #expect(String(decoding: after, as: UTF8.self) == String(decoding: before, as: UTF8.self))
            let back = try decoder.decode(Bar.self, from: after)
            #expect(Self.same(back.vwap, reference.vwap) && back.timeframe == reference.timeframe && back.close == reference.close)
            let other = references[random.below(references.count)]
            #expect((bar == other.bar) == (reference == other))
        }
    }

    /// The point of it: seven optionals in 8 bytes each (161 bytes before), a bar without padding
    /// (121 before), so a `MarketEvent` is copied inline rather than by `memmove`.
    @Test func isCompact() {
        #expect(MemoryLayout<CompactOptionalDouble>.size == 8)
        #expect(MemoryLayout<Quote>.size <= 106)
        #expect(MemoryLayout<Bar>.size <= 106)
        #expect(MemoryLayout<MarketEvent>.size <= 107)
    }
}
