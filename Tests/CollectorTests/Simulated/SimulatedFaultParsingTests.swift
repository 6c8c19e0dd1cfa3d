import Testing

@testable import Collector

@Suite struct SimulatedFaultParsingTests {
    typealias F = SimulatedFixtures

    @Test(arguments: [
        ("spike:AAPL", SimulatedFault.spike(F.aapl, factor: 10), "spike AAPL x10"),
        ("spike:aapl:2.5", .spike(F.aapl, factor: 2.5), "spike AAPL x2.5"),
        ("crossed:MSFT", .crossedQuote(F.msft), "crossed quote MSFT"),
        ("stall:BTC-USD", .stall(F.btc, nil), "stall BTC-USD until cleared"),
        ("stall:BTC/USD:30s", .stall(F.btc, .seconds(30)), "stall BTC-USD 30s"),
        ("gap:AAPL", .barGap(F.aapl, minutes: 1), "gap AAPL 1 min"),
        ("GAP:AAPL:5", .barGap(F.aapl, minutes: 5), "gap AAPL 5 min"),
        ("badbar:AAPL", .badBar(F.aapl), "bad bar AAPL"),
        ("outage:30s", .outage(.seconds(30)), "outage 30s"),
        (" outage:500ms ", .outage(.milliseconds(500)), "outage 500ms"),
        ("outage:2m", .outage(.seconds(120)), "outage 2m"),
        ("outage:1h", .outage(.seconds(3600)), "outage 1h"),
        ("outage:45", .outage(.seconds(45)), "outage 45s"),
        ("offset:AAPL", .offset(F.aapl, percent: 2), "offset AAPL +2%"),
        ("offset:AAPL:-1.5%", .offset(F.aapl, percent: -1.5), "offset AAPL -1.5%"),
        ("offset:MSFT:3", .offset(F.msft, percent: 3), "offset MSFT +3%")
    ])
    func parsesAcceptedForms(text: String, fault: SimulatedFault, description: String) throws {
        let parsed = try SimulatedFault(parsing: text)
        #expect(parsed == fault)
        #expect(parsed.description == description)
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("boom:AAPL", "the kind 'boom' is unknown"),
        ("spike", "'spike' needs a symbol"),
        ("spike:", "'spike' needs a symbol"),
        ("spike:AA PL", "the symbol 'AA PL' is invalid"),
        ("spike:AAPL:ten", "the factor 'ten' is not a positive number"),
        ("spike:AAPL:-2", "the factor '-2' is not a positive number"),
        ("spike:AAPL:2:3", "'spike' takes at most 2 arguments"),
        ("crossed:MSFT:3", "'crossed' takes at most 1 argument"),
        ("stall:BTC-USD:soon", "the duration 'soon' is not a positive whole number"),
        ("stall:BTC-USD:0s", "the duration '0s' must be longer than zero"),
        ("outage:99999999999999999h", "the duration '99999999999999999h' is longer than the longest duration accepted, 36500d"),
        ("gap:AAPL:0", "the minute count '0' is not a positive whole number"),
        ("gap:AAPL:1.5", "the minute count '1.5'"),
        ("outage", "'outage' needs a duration"),
        ("outage:", "'outage' needs a duration"),
        ("outage:30x", "the duration '30x'"),
        ("offset:AAPL:0%", "the offset '0%' is not a percentage"),
        ("offset:AAPL:lots", "the offset 'lots'")
    ])
    func rejectsBadFormsNamingTheBadPart(text: String, reason: String) {
        #expect {
            _ = try SimulatedFault(parsing: text)
        } throws: { error in
            guard let error = error as? SimulatedFaultError else { return false }
            return error.input == text && error.reason.contains(reason)
                && error.description.contains("spike:SYMBOL[:FACTOR]") && error.description.contains("outage:DURATION")
        }
    }

    @Test func symbolOfFault() {
        #expect(SimulatedFault.badBar(F.aapl).symbol == F.aapl)
        #expect(SimulatedFault.outage(.seconds(1)).symbol == nil)
    }
}
