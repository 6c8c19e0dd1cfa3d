import Collector
import CollectorTestSupport
import Foundation
import Testing

private typealias Kit = StreamTestKit

/// Issue 13: "frames carrying `"p":211.42` came out as `211.42000000000002` in JSON". Every
/// decoder path must give the nearest double to the decimal text, the value `Double(String)`
/// gives, so it prints back as sent. Property test over seeded random decimals on the three
/// stream decoders (each also checked against the `JSONDecoder` reference, the REST path).
@Suite("Decimal exactness")
struct DecimalExactnessTests {
    /// Prices and sizes as providers write them: up to 7 integer and 9 fraction digits,
    /// plus the reported case.
    static func decimals(count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        var result = ["211.42", "0.1", "170.415", "67234.5", "0.00209349", "1632209", "99999.99999"]
        while result.count < count {
            let integerDigits = Int.random(in: 0...7, using: &random)
            let fractionDigits = Int.random(in: 0...9, using: &random)
            var text = integerDigits == 0 ? "0" : String(Int.random(in: 1...9, using: &random))
            for _ in 0..<max(0, integerDigits - 1) { text += String(Int.random(in: 0...9, using: &random)) }
            if fractionDigits > 0 {
                text += "."
                for _ in 0..<fractionDigits { text += String(Int.random(in: 0...9, using: &random)) }
            }
            if Double(text)! > 0 { result.append(text) }
        }
        return result
    }

    @Test func streamDecodersGiveTheNearestDoubleToEveryDecimal() throws {
        for text in Self.decimals(count: 600, seed: 13) {
            let expected = try #require(Double(text))
            let alpaca = try Kit.alpaca(
                #"[{"T":"t","S":"AAPL","i":1,"x":"V","p":\#(text),"s":\#(text),"t":"2024-03-05T15:42:07.318519296Z","c":["@"],"z":"C"}]"#
            )
            guard case .trade(let a) = alpaca.first else {
                Issue.record("no Alpaca trade for \(text)")
                continue
            }
            #expect(a.price == expected && a.size == expected, "Alpaca \(text): \(a.price), \(a.size)")

            let polygon = try Kit.polygon(#"[{"ev":"T","sym":"AAPL","p":\#(text),"s":\#(text),"t":1709653327318}]"#)
            guard case .trade(let p) = polygon.first else {
                Issue.record("no Polygon trade for \(text)")
                continue
            }
            #expect(p.price == expected && p.size == expected, "Polygon \(text): \(p.price), \(p.size)")

            let finnhub = try Kit.finnhub(#"{"type":"trade","data":[{"s":"AAPL","p":\#(text),"t":1709653327318,"v":\#(text)}]}"#)
            guard case .trades(let trades) = finnhub, let f = trades.first else {
                Issue.record("no Finnhub trade for \(text)")
                continue
            }
            #expect(f.price == expected && f.size == expected, "Finnhub \(text): \(f.price), \(f.size)")
        }
    }

    /// What `--once --json` writes for a decoded price is the shortest text that reads back
    /// as the same double: `211.42`, never `211.42000000000002`.
    @Test func aDecodedPriceIsWrittenBackAsSent() throws {
        let messages = try Kit.polygon(#"[{"ev":"T","sym":"AAPL","p":211.42,"s":100,"t":1709653327318}]"#)
        guard case .trade(let trade) = messages.first else {
            Issue.record("no trade")
            return
        }
        let json = String(decoding: try JSONEncoder().encode([trade.price]), as: UTF8.self)
        #expect(json == "[211.42]")
    }
}
