import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Previous close rule")
struct PreviousCloseRuleTests {
    let rule = PreviousCloseRule()

    static func utc(_ text: String) -> Timestamp {
        guard let time = Timestamp(rfc3339: text) else { fatalError("bad fixture time \(text)") }
        return time
    }

    static func day(_ date: CivilDate) -> Timestamp {
        Timestamp.utcMidnight(year: date.year, month: date.month, day: date.day)!
    }

    /// The session a price at a time belongs to, and the session whose close is its reference.
    static let sessions: [(String, String, CivilDate, CivilDate)] = [
        ("AAPL", "2026-03-02T15:00:00Z", CivilDate(2026, 3, 2), CivilDate(2026, 2, 27)),  // Monday: Friday
        ("AAPL", "2026-02-28T15:00:00Z", CivilDate(2026, 2, 27), CivilDate(2026, 2, 26)),  // Saturday: Friday's session, Thursday's close
        ("AAPL", "2026-02-28T03:00:00Z", CivilDate(2026, 2, 27), CivilDate(2026, 2, 26)),  // Friday 22:00 New York is Saturday in UTC
        ("AAPL", "2026-03-02T09:30:00Z", CivilDate(2026, 3, 2), CivilDate(2026, 2, 27)),  // Monday pre-market
        ("AAPL", "2026-04-06T15:00:00Z", CivilDate(2026, 4, 6), CivilDate(2026, 4, 2)),  // after Good Friday: Thursday
        ("BTC-USD", "2026-03-02T15:00:00Z", CivilDate(2026, 3, 2), CivilDate(2026, 3, 1)),  // crypto: every UTC day
        ("EURUSD=X", "2026-03-02T15:00:00Z", CivilDate(2026, 3, 2), CivilDate(2026, 2, 27))  // FX: weekdays
    ]

    @Test(arguments: sessions)
    func sessionAndPreviousSession(_ symbol: String, _ time: String, _ session: CivilDate, _ previous: CivilDate) {
        let assetClass = F.symbol(symbol).assetClass
        #expect(rule.session(of: assetClass, at: Self.utc(time)) == session)
        #expect(rule.session(before: session, assetClass: assetClass) == previous)
    }

    /// Which close is picked, by what is known. Monday 2026-03-02: the reference is Friday 02-27.
    static let picks: [(String, [Bar], [SourceID: ReportedPreviousClose], PreviousClose?)] = {
        let monday = CivilDate(2026, 3, 2)
        let friday = CivilDate(2026, 2, 27)
        let thursday = CivilDate(2026, 2, 26)
        let fridayBar = { (source: SourceID, close: Double) in
            F.bar(source: source, timeframe: .oneDay, start: day(friday), close: close)
        }
        let thursdayBar = F.bar(source: "yahoo", timeframe: .oneDay, start: day(thursday), close: 90)
        return [
            (
                "the best source's bar of the previous session",
                [fridayBar("polygon", 95.5), fridayBar("yahoo", 95)], [:],
                PreviousClose(close: 95, source: "yahoo", origin: .dailyBar, session: friday)
            ),
            (
                "a bar beats a quote field",
                [fridayBar("polygon", 95.5)], ["yahoo": .init(close: 94, quoteSession: monday)],
                PreviousClose(close: 95.5, source: "polygon", origin: .dailyBar, session: friday)
            ),
            (
                "an older bar is not the previous session's",
                [thursdayBar], [:], nil
            ),
            (
                "an older bar gives way to the field",
                [thursdayBar], ["finnhub": .init(close: 95, quoteSession: monday)],
                PreviousClose(close: 95, source: "finnhub", origin: .quoteField, session: friday)
            ),
            (
                "Finnhub pc only",
                [], ["finnhub": .init(close: 95, quoteSession: monday)],
                PreviousClose(close: 95, source: "finnhub", origin: .quoteField, session: friday)
            ),
            (
                "a field carried by a quote of another session is another session's close",
                [], ["finnhub": .init(close: 90, quoteSession: friday)], nil
            ),
            (
                "fields by source order",
                [], ["finnhub": .init(close: 95.1, quoteSession: monday), "yahoo": .init(close: 95, quoteSession: monday)],
                PreviousClose(close: 95, source: "yahoo", origin: .quoteField, session: friday)
            )
        ]
    }()

    @Test(arguments: picks)
    func picksOneClose(_ name: String, _ bars: [Bar], _ reported: [SourceID: ReportedPreviousClose], _ expected: PreviousClose?) {
        let picked = rule.previousClose(
            assetClass: .equity, session: CivilDate(2026, 3, 2), sources: ["yahoo", "polygon", "finnhub"],
            dailyBars: { source in bars.filter { $0.source == source } }, reported: reported)
        #expect(picked == expected, "\(name)")
    }

    @Test func descriptionNamesSourceOriginAndSession() {
        let close = PreviousClose(close: 95, source: "finnhub", origin: .quoteField, session: CivilDate(2026, 2, 27))
        #expect(close.description == "FINNHUB quote 2026-02-27")
    }
}
