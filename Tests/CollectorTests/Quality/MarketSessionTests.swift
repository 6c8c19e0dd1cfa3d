import Collector
import Foundation
import Testing

@Suite("Market session")
struct MarketSessionTests {
    /// Seconds since the epoch for a UTC date and time.
    static func utc(_ text: String) -> Timestamp {
        Timestamp(try! Date.ISO8601FormatStyle().parse(text))
    }

    @Test(arguments: [
        // Winter (EST, UTC-5)
        ("2026-03-02T08:59:00Z", MarketSession.closed), ("2026-03-02T09:00:00Z", .pre), ("2026-03-02T14:29:00Z", .pre),
        ("2026-03-02T14:30:00Z", .open), ("2026-03-02T20:59:00Z", .open), ("2026-03-02T21:00:00Z", .post),
        ("2026-03-03T00:59:00Z", .post), ("2026-03-03T01:00:00Z", .closed),
        // Summer (EDT, UTC-4): the open moves to 13:30 UTC
        ("2026-07-01T13:29:00Z", .pre), ("2026-07-01T13:30:00Z", .open), ("2026-07-01T20:00:00Z", .post),
        // Weekend
        ("2026-03-07T15:00:00Z", .closed), ("2026-03-08T15:00:00Z", .closed)
    ])
    func usEquity(_ time: String, _ expected: MarketSession) {
        #expect(MarketSession.current(for: .equity, at: Self.utc(time)) == expected)
        #expect(MarketSession.current(for: .index, at: Self.utc(time)) == expected)
    }

    @Test(arguments: [
        ("2026-03-06T21:59:00Z", MarketSession.open), ("2026-03-06T22:00:00Z", .closed),  // Friday 17:00 EST
        ("2026-03-07T12:00:00Z", .closed), ("2026-03-08T20:59:00Z", .closed),  // Sunday 16:59 EDT (DST began)
        ("2026-03-08T21:00:00Z", .open), ("2026-03-10T03:00:00Z", .open)
    ])
    func fx(_ time: String, _ expected: MarketSession) {
        #expect(MarketSession.current(for: .fx, at: Self.utc(time)) == expected)
    }

    @Test(arguments: ["2026-03-07T03:00:00Z", "2026-03-08T07:00:00Z", "2026-11-26T15:00:00Z", "2025-12-25T12:00:00Z"])
    func cryptoNeverCloses(_ time: String) {
        #expect(MarketSession.status(for: .crypto, at: Self.utc(time)) == SessionStatus(session: .open))
    }

    /// The exact minutes around the 2026 daylight-saving changes (8 March: EST -> EDT; 1 November: EDT -> EST).
    @Test(arguments: [
        // Friday 6 March, EST (UTC-5)
        ("2026-03-06T20:59:00Z", MarketSession.open), ("2026-03-06T21:00:00Z", .post),
        ("2026-03-07T00:59:00Z", .post), ("2026-03-07T01:00:00Z", .closed),
        // Sunday 8 March: 01:59 EST is followed by 03:00 EDT
        ("2026-03-08T06:59:00Z", .closed), ("2026-03-08T07:00:00Z", .closed),
        // Monday 9 March, EDT (UTC-4): every boundary an hour earlier in UTC
        ("2026-03-09T07:59:00Z", .closed), ("2026-03-09T08:00:00Z", .pre), ("2026-03-09T13:29:00Z", .pre),
        ("2026-03-09T13:30:00Z", .open), ("2026-03-09T19:59:00Z", .open), ("2026-03-09T20:00:00Z", .post),
        ("2026-03-09T23:59:00Z", .post), ("2026-03-10T00:00:00Z", .closed),
        // Friday 30 October, EDT
        ("2026-10-30T13:29:00Z", .pre), ("2026-10-30T13:30:00Z", .open), ("2026-10-30T19:59:00Z", .open),
        ("2026-10-30T20:00:00Z", .post), ("2026-10-30T23:59:00Z", .post), ("2026-10-31T00:00:00Z", .closed),
        // Sunday 1 November: 01:30 happens twice (05:30Z EDT, 06:30Z EST)
        ("2026-11-01T05:30:00Z", .closed), ("2026-11-01T06:30:00Z", .closed),
        // Monday 2 November, EST
        ("2026-11-02T08:59:00Z", .closed), ("2026-11-02T09:00:00Z", .pre), ("2026-11-02T14:29:00Z", .pre),
        ("2026-11-02T14:30:00Z", .open), ("2026-11-02T20:59:00Z", .open), ("2026-11-02T21:00:00Z", .post),
        ("2026-11-03T00:59:00Z", .post), ("2026-11-03T01:00:00Z", .closed)
    ])
    func usEquityAcrossDaylightSaving(_ time: String, _ expected: MarketSession) {
        #expect(MarketSession.current(for: .equity, at: Self.utc(time)) == expected)
    }

    @Test(arguments: [
        // 17:00 Friday EDT, then 17:00 Sunday EST after the change
        ("2026-10-30T20:59:00Z", MarketSession.open), ("2026-10-30T21:00:00Z", .closed),
        ("2026-11-01T21:59:00Z", .closed), ("2026-11-01T22:00:00Z", .open)
    ])
    func fxAcrossDaylightSavingEnd(_ time: String, _ expected: MarketSession) {
        #expect(MarketSession.current(for: .fx, at: Self.utc(time)) == expected)
    }

    @Test(
        arguments: [
            ("2026-11-26T15:00:00Z", MarketSession.closed, "closed (Thanksgiving)", "holiday: Thanksgiving"),
            ("2025-12-25T15:00:00Z", .closed, "closed (Christmas)", "holiday: Christmas"),
            ("2026-04-03T14:00:00Z", .closed, "closed (Good Friday)", "holiday: Good Friday"),
            ("2026-07-03T14:00:00Z", .closed, "closed (Independence Day, observed)", "holiday: Independence Day (observed)"),
            (
                "2025-01-09T15:00:00Z", .closed, "closed (National Day of Mourning for Jimmy Carter)",
                "holiday: National Day of Mourning for Jimmy Carter"
            ),
            ("2026-03-07T15:00:00Z", .closed, "closed (weekend)", "weekend"),
            ("2026-03-02T15:00:00Z", .open, "open", nil),
            ("2026-03-03T02:00:00Z", .closed, "closed", nil),
            // Friday 27 November 2026, the day after Thanksgiving: regular session until 13:00, after-hours until 17:00 EST
            ("2026-11-27T08:59:00Z", .closed, "closed", "early close 13:00"),
            ("2026-11-27T09:00:00Z", .pre, "pre, closes 13:00", "early close 13:00"),
            ("2026-11-27T17:59:00Z", .open, "open, closes 13:00", "early close 13:00"),
            ("2026-11-27T18:00:00Z", .post, "post (early close 13:00)", "early close 13:00"),
            ("2026-11-27T21:59:00Z", .post, "post (early close 13:00)", "early close 13:00"),
            ("2026-11-27T22:00:00Z", .closed, "closed", "early close 13:00"),
            ("2026-12-24T17:59:00Z", .open, "open, closes 13:00", "early close 13:00"),
            ("2026-12-24T18:00:00Z", .post, "post (early close 13:00)", "early close 13:00")
        ] as [(String, MarketSession, String, String?)])
    func usEquityHolidaysAndEarlyCloses(_ time: String, _ session: MarketSession, _ text: String, _ reason: String?) {
        let status = MarketSession.status(for: .equity, at: Self.utc(time))
        #expect(status.session == session)
        #expect(status.description == text)
        #expect(status.reason == reason)
        #expect(MarketSession.current(for: .index, at: Self.utc(time)) == session)
    }

    @Test(arguments: [
        ("2025-12-24T21:59:00Z", MarketSession.open), ("2025-12-24T22:00:00Z", .closed),  // FX day of 25 December
        ("2025-12-25T21:59:00Z", .closed), ("2025-12-25T22:00:00Z", .open),
        ("2025-12-31T21:59:00Z", .open), ("2025-12-31T22:00:00Z", .closed),  // FX day of 1 January
        ("2026-01-01T22:00:00Z", .open),
        ("2026-04-03T14:00:00Z", .open), ("2026-11-26T15:00:00Z", .open)  // other holidays trade
    ])
    func fxHolidays(_ time: String, _ expected: MarketSession) {
        #expect(MarketSession.current(for: .fx, at: Self.utc(time)) == expected)
    }

    @Test func fxHolidayReason() {
        #expect(MarketSession.status(for: .fx, at: Self.utc("2025-12-25T12:00:00Z")).description == "closed (Christmas)")
        #expect(MarketSession.status(for: .fx, at: Self.utc("2026-03-07T12:00:00Z")).reason == "weekend")
    }
}
