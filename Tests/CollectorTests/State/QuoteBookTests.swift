import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("QuoteBook")
struct QuoteBookTests {
    struct Insert: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// Exchange times (seconds after the base time) of the quotes one source sends, in order.
        var sent: [Int64]
        /// Whether each was taken, and the exchange time held at the end.
        var taken: [Bool]
        var held: Int64
    }

    @Test(arguments: [
        Insert(testDescription: "newer replaces", sent: [0, 5], taken: [true, true], held: 5),
        Insert(testDescription: "same time replaces", sent: [5, 5], taken: [true, true], held: 5),
        Insert(testDescription: "older (a slower path) is not taken", sent: [5, 3], taken: [true, false], held: 5),
        Insert(testDescription: "newer after an older one", sent: [5, 3, 7], taken: [true, false, true], held: 7)
    ])
    func slowerPathNeverReplacesNewer(_ c: Insert) {
        var book = QuoteBook(previousCloseRule: PreviousCloseRule())
        let taken = c.sent.map { book.insert(F.quote(at: F.baseTime + .seconds($0))) }
        #expect(taken == c.taken)
        #expect(book.quote(F.symbol("AAPL"), from: .simulated)?.exchangeTime == F.baseTime + .seconds(c.held))
    }

    @Test func eachSourceKeepsItsOwnLatest() {
        var book = QuoteBook(previousCloseRule: PreviousCloseRule())
        let taken = [
            book.insert(F.quote(source: "alpaca", at: F.baseTime + .seconds(5))),
            book.insert(F.quote(source: "yahoo", at: F.baseTime)),  // older than alpaca's: its own first
            book.insert(F.quote(source: "yahoo", at: F.baseTime - .seconds(1))),
            book.insert(F.quote(source: "alpaca", at: F.baseTime + .seconds(6)))
        ]
        #expect(taken == [true, true, false, true])
        #expect(book.onlyQuote(F.symbol("AAPL")) == nil)
        #expect(book.quote(F.symbol("AAPL"), from: "alpaca")?.exchangeTime == F.baseTime + .seconds(6))
        #expect(book.quote(F.symbol("AAPL"), from: "yahoo")?.exchangeTime == F.baseTime)
    }

    @Test func sourcesAreHeldApartAndOrderedByPriority() {
        var book = QuoteBook(previousCloseRule: PreviousCloseRule())
        _ = book.insert(F.quote(source: .simulated, at: F.baseTime, receivedAt: F.baseTime + .seconds(2)))
        _ = book.insert(F.quote(source: "alpaca", at: F.baseTime))
        _ = book.insert(F.quote(source: "yahoo", at: F.baseTime - .seconds(9)))
        let priority: [SourceID: Int] = ["alpaca": 1, "yahoo": 2]
        let order = book.byPriority(F.symbol("AAPL")) { priority[$0] ?? .max }.map(\.source)
        #expect(order == ["alpaca", "yahoo", .simulated])
        #expect(book.lastReceived(F.symbol("AAPL")) == F.baseTime + .seconds(2))
        #expect(book.lastReceived(F.symbol("MSFT")) == nil)
        #expect(Set(book.symbols) == [F.symbol("AAPL")])
    }

    struct Close: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// (exchange time, previous-close field) of the quotes one source sends, in order.
        var sent: [(Timestamp, Double?)]
        var kept: Double?
    }

    /// 2026-03-02 is a Monday, 2026-02-27 the Friday before.
    @Test(arguments: [
        Close(testDescription: "kept", sent: [(F.baseTime, 95)], kept: 95),
        Close(
            testDescription: "a value without the field keeps it", sent: [(F.baseTime, 95), (F.baseTime + .seconds(1), nil)],
            kept: 95),
        Close(testDescription: "zero is no close", sent: [(F.baseTime, 95), (F.baseTime + .seconds(1), 0)], kept: 95),
        Close(
            testDescription: "an earlier session's field (a slower path) does not replace a later one's",
            sent: [(F.baseTime, 95), (Timestamp(rfc3339: "2026-02-27T15:00:00Z")!, 90)], kept: 95),
        Close(
            testDescription: "a later session's field replaces",
            sent: [(Timestamp(rfc3339: "2026-02-27T15:00:00Z")!, 90), (F.baseTime, 95)], kept: 95),
        Close(
            testDescription: "kept even from a quote not taken",
            sent: [(F.baseTime + .seconds(5), nil), (F.baseTime, 95)], kept: 95)
    ])
    func reportedPreviousCloses(_ c: Close) {
        var book = QuoteBook(previousCloseRule: PreviousCloseRule())
        for (time, close) in c.sent { _ = book.insert(F.quote(at: time, previousClose: close)) }
        #expect(book.reportedCloses(of: F.symbol("AAPL"))[.simulated]?.close == c.kept)
    }
}
