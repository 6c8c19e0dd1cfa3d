import Collector
import CollectorTestSupport
import DequeModule
import Testing

private let F = MarketFixtures.self

@Suite("BarBook")
struct BarBookTests {
    struct Insert: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// Minute starts (minutes after the base time) in delivery order; closes are the order of delivery.
        var starts: [Int64]
        /// Starts kept (oldest first) and the close of each.
        var kept: [Int64]
        var closes: [Double]
    }

    @Test(arguments: [
        Insert(testDescription: "in order", starts: [0, 1, 2], kept: [0, 1, 2], closes: [0, 1, 2]),
        Insert(testDescription: "out of order is sorted", starts: [2, 0, 1], kept: [0, 1, 2], closes: [1, 2, 0]),
        Insert(testDescription: "a repeated start replaces (last)", starts: [0, 1, 1], kept: [0, 1], closes: [0, 2]),
        Insert(testDescription: "a repeated start replaces (inside)", starts: [0, 1, 2, 1], kept: [0, 1, 2], closes: [0, 3, 2]),
        Insert(testDescription: "bounded to the newest", starts: [0, 1, 2, 3, 4], kept: [2, 3, 4], closes: [2, 3, 4]),
        Insert(
            testDescription: "older than the window when full is dropped", starts: [2, 3, 4, 0], kept: [2, 3, 4],
            closes: [0, 1, 2])
    ])
    func minuteBarsAreOrderedUniqueAndBounded(_ c: Insert) {
        var book = BarBook(minuteLimit: 3, dailyLimit: 2)
        for (index, minute) in c.starts.enumerated() {
            book.insert(F.bar(start: F.baseTime + .seconds(minute * 60), close: Double(index)))
        }
        let bars = Array(book.minuteBars(F.symbol("AAPL"), from: .simulated) ?? [])
        #expect(bars.map(\.start) == c.kept.map { F.baseTime + .seconds($0 * 60) })
        #expect(bars.map(\.close) == c.closes)
    }

    @Test func timeframesAndSourcesAreKeptApart() {
        var book = BarBook(minuteLimit: 3, dailyLimit: 2)
        let day = F.baseTime.startOfUTCDay
        for offset in 1...3 { book.insert(F.bar(timeframe: .oneDay, start: day - .seconds(Int64(offset) * 86_400))) }
        book.insert(F.bar(timeframe: .fiveMinutes, start: F.baseTime))
        book.insert(F.bar(source: "alpaca", start: F.baseTime - .seconds(60)))
        book.insert(F.bar(start: F.baseTime))
        let aapl = F.symbol("AAPL")
        #expect(book.daily[aapl]?[.simulated]?.map(\.start) == [day - .seconds(2 * 86_400), day - .seconds(86_400)])
        #expect(book.minuteBars(aapl, from: "alpaca")?.map(\.start) == [F.baseTime - .seconds(60)])
        #expect(book.minuteBars(aapl, from: nil)?.last?.source == .simulated, "without a source: the one with the latest bar")
        #expect(book.minuteBars(aapl, from: "yahoo")?.last?.source == .simulated, "a source without bars: the latest too")
        #expect(book.minuteBars(F.symbol("MSFT"), from: nil) == nil)
    }
}
