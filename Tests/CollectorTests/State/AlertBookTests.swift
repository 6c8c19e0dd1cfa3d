import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("AlertBook")
struct AlertBookTests {
    let start = F.baseTime

    func silence(last: Timestamp?, threshold: Duration?, at now: Timestamp) -> AlertBook.Silence {
        AlertBook.Silence(
            alert: Alert(kind: .symbolSilent, severity: .warning, subject: "AAPL", message: "", raisedAt: now), last: last,
            threshold: threshold
        ) { "silent \($0.ageText) > \($1.ageText)" }
    }

    struct Step: Sendable, CustomTestStringConvertible {
        var testDescription: String { "at \(at)s, last \(last.map { "\($0)s" } ?? "none")" }
        /// Seconds after the start: the evaluation, and the newest value (nil: none yet).
        var at: Int64
        var last: Int64?
        var threshold: Duration? = .seconds(30)
        /// The open alert's message afterwards (nil: none open).
        var open: String?
    }

    /// A symbol's freshness alert through silence, values arriving again, and `clearAfter` (15 s).
    @Test(arguments: [
        [
            Step(at: 30, last: nil, open: nil),
            Step(at: 31, last: nil, open: "silent 31s > 30s"),
            Step(at: 40, last: nil, open: "silent 40s > 30s"),
            Step(at: 41, last: 41, open: "receiving again since 15:00:41 UTC; clears after 15s of steady values"),
            Step(at: 50, last: 50, open: "receiving again since 15:00:41 UTC; clears after 15s of steady values"),
            Step(at: 56, last: 56, open: nil)
        ],
        [
            Step(at: 31, last: nil, open: "silent 31s > 30s"),
            Step(at: 32, last: 32, open: "receiving again since 15:00:32 UTC; clears after 15s of steady values"),
            Step(at: 70, last: 32, open: "silent 38s > 30s"),
            Step(at: 71, last: 71, open: "receiving again since 15:01:11 UTC; clears after 15s of steady values")
        ],
        [
            Step(at: 31, last: nil, open: "silent 31s > 30s"),
            Step(at: 32, last: nil, threshold: .seconds(300), open: nil),
            Step(at: 33, last: nil, threshold: nil, open: nil)
        ]
    ])
    func freshnessHysteresis(_ steps: [Step]) {
        var book = AlertBook(clearAfter: .seconds(15), startedAt: start)
        for step in steps {
            let now = start + .seconds(step.at)
            _ = book.evaluate(
                wanted: [], silences: [silence(last: step.last.map { start + .seconds($0) }, threshold: step.threshold, at: now)],
                at: now)
            #expect(book.alerts.first(where: \.isOpen)?.message == step.open, "\(step)")
        }
    }

    @Test func raisesUpdatesAndClearsWhatIsWanted() {
        var book = AlertBook(clearAfter: .seconds(15), startedAt: start)
        func alert(_ kind: Alert.Kind, _ subject: String, _ message: String, at seconds: Int64) -> Alert {
            Alert(kind: kind, severity: .warning, subject: subject, message: message, raisedAt: start + .seconds(seconds))
        }
        var changes = book.evaluate(
            wanted: [alert(.failover, "MSFT", "a", at: 1), alert(.failover, "AAPL", "a", at: 1)], silences: [],
            at: start + .seconds(1))
        #expect(changes.map(\.subject) == ["AAPL", "MSFT"], "raised, in order")
        changes = book.evaluate(
            wanted: [alert(.failover, "MSFT", "a", at: 2), alert(.failover, "AAPL", "a", at: 2)], silences: [],
            at: start + .seconds(2))
        #expect(changes.isEmpty, "unchanged: nothing to store")
        changes = book.evaluate(wanted: [alert(.failover, "AAPL", "b", at: 3)], silences: [], at: start + .seconds(3))
        #expect(changes.map { "\($0.subject) \($0.message) \($0.isOpen)" } == ["AAPL b true", "MSFT a false"])
        #expect(book.alerts.first { $0.subject == "AAPL" }?.raisedAt == start + .seconds(1), "an update keeps when it was raised")
        #expect(book.alerts.first { $0.subject == "MSFT" }?.clearedAt == start + .seconds(3))
        changes = book.evaluate(wanted: [alert(.failover, "MSFT", "c", at: 4)], silences: [], at: start + .seconds(4))
        #expect(changes.map { "\($0.subject) \($0.message) \($0.isOpen)" } == ["AAPL b false", "MSFT c true"], "raised anew")
        #expect(book.alerts.map(\.subject) == ["MSFT", "AAPL", "MSFT"], "newest first, cleared ones kept")
    }

    @Test func clearedAlertsGoFirstWhenOverTheLimit() {
        var book = AlertBook(clearAfter: .seconds(15), startedAt: start)
        let open = Alert(kind: .sourceDown, severity: .error, subject: "ALPACA", message: "down", raisedAt: start)
        for index in 0...AlertBook.limit {
            let now = start + .seconds(Int64(index))
            let flapping = Alert(kind: .failover, severity: .warning, subject: "S\(index)", message: "m", raisedAt: now)
            _ = book.evaluate(wanted: [open, flapping], silences: [], at: now)
        }
        #expect(book.alerts.count == AlertBook.limit)
        #expect(book.alerts.contains { $0.subject == "ALPACA" && $0.isOpen }, "the oldest alert is open: kept")
        #expect(!book.alerts.contains { $0.subject == "S0" }, "the oldest cleared one went")
    }

    @Test func earlierAlertsAreNewestFirst() {
        var book = AlertBook(clearAfter: .seconds(15), startedAt: start)
        let older = Alert(kind: .failover, severity: .warning, subject: "AAPL", message: "m", raisedAt: start - .seconds(90))
        let newer = Alert(kind: .failover, severity: .warning, subject: "MSFT", message: "m", raisedAt: start - .seconds(60))
        book.restoreEarlier([older, newer])
        #expect(book.earlier == [newer, older])
    }
}
