import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self
/// 2026-02-28, a Saturday: US equities are closed, crypto trades.
private let saturday = Timestamp(rfc3339: "2026-02-28T15:00:00Z")!

@Suite("FreshnessBook")
struct FreshnessBookTests {
    struct Threshold: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var served: [String]
        var source: Duration = .seconds(45)
        var pollInterval: Duration?
        var at: Timestamp
        var expected: Duration?
    }

    @Test(arguments: [
        Threshold(testDescription: "serving nothing: always expected", served: [], at: saturday, expected: .seconds(45)),
        Threshold(
            testDescription: "serving nothing, polled", served: [], pollInterval: .seconds(60), at: saturday,
            expected: .seconds(120)),
        Threshold(testDescription: "open market: its threshold", served: ["AAPL"], at: F.baseTime, expected: .seconds(90)),
        Threshold(
            testDescription: "the tightest open market", served: ["AAPL", "BTC/USD"], at: F.baseTime, expected: .seconds(60)),
        Threshold(
            testDescription: "never below the source threshold", served: ["BTC/USD"], source: .seconds(75), at: F.baseTime,
            expected: .seconds(75)),
        Threshold(
            testDescription: "twice the poll interval", served: ["AAPL"], pollInterval: .seconds(60), at: F.baseTime,
            expected: .seconds(120)),
        Threshold(
            testDescription: "every market closed", served: ["AAPL"], pollInterval: .seconds(60), at: saturday, expected: nil),
        Threshold(
            testDescription: "closed and open: the open one", served: ["AAPL", "BTC/USD"], at: saturday, expected: .seconds(60))
    ])
    func silenceThreshold(_ c: Threshold) {
        var book = FreshnessBook(
            policy: FreshnessPolicy(equity: .seconds(90), crypto: .seconds(60), source: c.source), calendar: .nyse)
        let served = c.served.map(F.symbol)
        #expect(book.silenceThreshold(serving: served, pollInterval: c.pollInterval, at: c.at) == c.expected)
    }

    @Test func freshnessFollowsTheSessionAcrossMinutes() {
        var book = FreshnessBook(policy: FreshnessPolicy(equity: .seconds(90)), calendar: .nyse)
        // 2026-03-02 20:59Z is 15:59 in New York: open; a minute later the session is over.
        let open = Timestamp(rfc3339: "2026-03-02T20:59:30Z")!
        #expect(book.freshness(of: .equity, at: open).threshold == .seconds(90))
        #expect(book.freshness(of: .equity, at: open + .seconds(29)).threshold == .seconds(90), "same minute")
        #expect(book.freshness(of: .equity, at: open + .seconds(31)).threshold == .seconds(300), "after hours")
        #expect(book.freshness(of: .equity, at: saturday).threshold == nil)
    }
}
