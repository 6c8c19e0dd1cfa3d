import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("AnomalyBook")
struct AnomalyBookTests {
    func anomaly(_ symbol: String, at seconds: Int64, quarantined: Bool) -> Anomaly {
        let time = F.baseTime + .seconds(seconds)
        return Anomaly(
            rule: "test", severity: .warning, fields: [], message: "\(symbol) at \(seconds)", detectedAt: time,
            quarantined: quarantined, subject: .quote(F.quote(symbol, at: time)))
    }

    @Test func recentAreNewestFirstAndBoundedWhileCountsAreNot() {
        var book = AnomalyBook(limit: 2)
        book.record(anomaly("AAPL", at: 0, quarantined: true))
        book.record(anomaly("MSFT", at: 1, quarantined: false))
        book.record(anomaly("AAPL", at: 2, quarantined: false))
        #expect(book.recent.map(\.message) == ["AAPL at 2", "MSFT at 1"])
        #expect(book.count == 3)
        #expect(book.quarantinedCount == 1)
        #expect(book.perSymbol == [F.symbol("AAPL"): 2, F.symbol("MSFT"): 1])
    }

    struct Window: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// (seconds after the base time, quarantined) of the anomalies recorded for AAPL.
        var recorded: [(Int64, Bool)]
        var askedAt: Int64
        var quarantined: Bool
    }

    @Test(arguments: [
        Window(testDescription: "none", recorded: [], askedAt: 0, quarantined: false),
        Window(testDescription: "within the window", recorded: [(0, true)], askedAt: 300, quarantined: true),
        Window(testDescription: "past the window", recorded: [(0, true)], askedAt: 301, quarantined: false),
        Window(testDescription: "a value flagged but not quarantined", recorded: [(0, false)], askedAt: 1, quarantined: false),
        Window(
            testDescription: "the latest counts, in any order", recorded: [(200, true), (0, true)], askedAt: 450,
            quarantined: true)
    ])
    func quarantineWindow(_ c: Window) {
        var book = AnomalyBook(limit: 10)
        for (seconds, quarantined) in c.recorded { book.record(anomaly("AAPL", at: seconds, quarantined: quarantined)) }
        let now = F.baseTime + .seconds(c.askedAt)
        #expect(book.isQuarantined(F.symbol("AAPL"), within: .seconds(300), at: now) == c.quarantined)
        #expect(!book.isQuarantined(F.symbol("MSFT"), within: .seconds(300), at: now))
    }
}
