import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("SelectionBook")
struct SelectionBookTests {
    let aapl = F.symbol("AAPL")
    let t = F.baseTime

    func candidate(_ source: SourceID, mid: Double = 100, reason: String? = nil) -> SourceSelector.Candidate {
        let quote = F.quote(source: source, bid: mid - 0.01, ask: mid + 0.01, last: mid, at: t)
        return .init(source: source, quote: quote, usable: reason == nil, reason: reason)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// (source, mid, reason it is unusable) in priority order.
        var candidates: [(SourceID, Double, String?)]
        var shown: SourceID?
        var failoverReason: String?
        var disagreeing: [SourceID]
    }

    @Test(arguments: [
        Case(
            testDescription: "the preferred source while usable", candidates: [("alpaca", 100, nil), (.simulated, 100, nil)],
            shown: "alpaca", failoverReason: nil, disagreeing: []),
        Case(
            testDescription: "fails over from an unusable preferred source",
            candidates: [("alpaca", 100, "down: connection refused"), (.simulated, 100, nil)], shown: .simulated,
            failoverReason: "shown from SIM since 15:00:00: ALPACA down: connection refused", disagreeing: []),
        Case(
            testDescription: "nothing usable: the last known good",
            candidates: [("alpaca", 100, "stale 2m"), (.simulated, 100, "stale 3m")], shown: "alpaca",
            failoverReason: nil, disagreeing: []),
        Case(
            testDescription: "two disagree: both are named, the preferred is shown",
            candidates: [("alpaca", 100, nil), (.simulated, 110, nil)], shown: "alpaca", failoverReason: nil,
            disagreeing: ["alpaca", .simulated]),
        Case(
            testDescription: "three: the outlier is not shown while it disagrees",
            candidates: [("alpaca", 110, nil), ("yahoo", 100, nil), (.simulated, 100, nil)], shown: "yahoo",
            failoverReason: "shown from YAHOO since 15:00:00: ALPACA disagrees with the other sources", disagreeing: ["alpaca"]),
        Case(testDescription: "no quotes", candidates: [], shown: nil, failoverReason: nil, disagreeing: [])
    ])
    func selectsComparesAndSaysWhy(_ c: Case) {
        var book = SelectionBook(selection: .init(), consensus: .init())
        let candidates = c.candidates.map { candidate($0.0, mid: $0.1, reason: $0.2) }
        let began = book.reevaluate(aapl, candidates: candidates, at: t)
        #expect(book.shown[aapl] == c.shown)
        #expect(book.shownSource(aapl, candidates: []) == c.shown)
        #expect(book.failoverReasons[aapl] == c.failoverReason)
        #expect(book.disagreements[aapl]?.map(\.source) ?? [] == c.disagreeing)
        #expect(began?.rule == (c.disagreeing.isEmpty ? nil : "sources-disagree"))
        #expect(began?.quarantined == (c.disagreeing.isEmpty ? nil : false))
    }

    @Test func aDisagreementIsAnAnomalyOnlyWhenItBegins() {
        var book = SelectionBook(selection: .init(), consensus: .init())
        let apart = [candidate("alpaca", mid: 100), candidate(.simulated, mid: 110)]
        #expect(book.reevaluate(aapl, candidates: apart, at: t)?.message.hasPrefix("sources disagree: ") == true)
        #expect(book.reevaluate(aapl, candidates: apart, at: t + .seconds(1)) == nil, "still disagreeing: not again")
        #expect(book.reevaluate(aapl, candidates: [candidate("alpaca"), candidate(.simulated)], at: t + .seconds(2)) == nil)
        #expect(book.disagreements[aapl] == nil)
        #expect(book.reevaluate(aapl, candidates: apart, at: t + .seconds(3)) != nil, "began again")
    }

    @Test func returnsToThePreferredSourceOnlyAfterTheHysteresis() {
        var book = SelectionBook(selection: .init(holdTime: .seconds(10), returnAfter: .seconds(30)), consensus: .init())
        _ = book.reevaluate(aapl, candidates: [candidate("alpaca", reason: "down: refused"), candidate(.simulated)], at: t)
        #expect(book.shown[aapl] == .simulated)
        let back = [candidate("alpaca"), candidate(.simulated)]
        _ = book.reevaluate(aapl, candidates: back, at: t + .seconds(1))
        #expect(book.shown[aapl] == .simulated)
        #expect(
            book.failoverReasons[aapl] == "shown from SIM since 15:00:00: ALPACA down: refused", "the reason stays while held")
        _ = book.reevaluate(aapl, candidates: back, at: t + .seconds(31))
        #expect(book.shown[aapl] == "alpaca")
        #expect(book.failoverReasons[aapl] == nil)
    }

    /// `MarketState` skips re-deciding a settled symbol: settled means re-deciding it from that
    /// one usable source would change nothing.
    @Test func settledOnlyWhileOneUsableSourceIsShownWithNothingToSay() {
        var book = SelectionBook(selection: .init(), consensus: .init())
        #expect(!book.isSettled(aapl, on: .simulated), "nothing decided yet")
        _ = book.reevaluate(aapl, candidates: [candidate(.simulated)], at: t)
        #expect(book.isSettled(aapl, on: .simulated) && !book.isSettled(aapl, on: "alpaca"))
        _ = book.reevaluate(aapl, candidates: [candidate(.simulated, reason: "stale 2m")], at: t + .seconds(1))
        #expect(book.shown[aapl] == .simulated && !book.isSettled(aapl, on: .simulated), "shown, but no longer usable")
        _ = book.reevaluate(aapl, candidates: [candidate(.simulated)], at: t + .seconds(2))
        #expect(book.isSettled(aapl, on: .simulated))
        _ = book.reevaluate(aapl, candidates: [candidate("alpaca", reason: "down: refused"), candidate(.simulated)], at: t + .seconds(3))
        #expect(book.failoverReasons[aapl] != nil && !book.isSettled(aapl, on: .simulated), "a failover reason is held")
        let apart = [candidate("alpaca", mid: 100), candidate(.simulated, mid: 110)]
        var other = SelectionBook(selection: .init(), consensus: .init())
        _ = other.reevaluate(aapl, candidates: apart, at: t)
        #expect(other.shown[aapl] == "alpaca" && !other.isSettled(aapl, on: "alpaca"), "a disagreement is held")
        _ = book.reevaluate(aapl, candidates: [candidate(.simulated)], at: t + .seconds(4))
        #expect(book.isSettled(aapl, on: .simulated))
        book.retain([])
        #expect(!book.isSettled(aapl, on: .simulated), "no longer watched: the selector forgot its choice")
    }

    /// Before the selector decided: its first choice, the first usable candidate, else the freshest.
    @Test func shownBeforeAnyDecisionFollowsTheSelectorsRule() {
        let book = SelectionBook(selection: .init(), consensus: .init())
        let stale = candidate("alpaca", reason: "stale 2m")
        var fresher = candidate(.simulated, reason: "stale 1m")
        fresher.quote.receivedAt = t + .seconds(60)
        #expect(book.shownSource(aapl, candidates: [stale, candidate(.simulated)]) == .simulated)
        #expect(book.shownSource(aapl, candidates: [stale, fresher]) == .simulated)
        #expect(book.shownSource(aapl, candidates: []) == nil)
    }
}
