import Collector
import CollectorTestSupport
import Foundation
import Testing

@Suite("MarketEvent coding")
struct MarketEventCodingTests {
    @Test func roundTripsWithOneKeyPerKind() throws {
        let events: [MarketEvent] = [
            .quote(MarketFixtures.quote()), .trade(MarketFixtures.trade()), .bar(MarketFixtures.bar(vwap: 100.2, tradeCount: 12))
        ]
        for event in events {
            let data = try JSONEncoder().encode(event)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.hasPrefix("{\"\(event.kind.rawValue)\":{"), "got \(text)")
            #expect(try JSONDecoder().decode(MarketEvent.self, from: data) == event)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MarketEvent.self, from: Data("{}".utf8)) }
    }
}
