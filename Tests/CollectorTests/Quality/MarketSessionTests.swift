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
        ("2026-03-07T15:00:00Z", .closed), ("2026-03-08T15:00:00Z", .closed),
    ])
    func usEquity(_ time: String, _ expected: MarketSession) {
        #expect(MarketSession.current(for: .equity, at: Self.utc(time)) == expected)
        #expect(MarketSession.current(for: .index, at: Self.utc(time)) == expected)
    }

    @Test(arguments: [
        ("2026-03-06T21:59:00Z", MarketSession.open), ("2026-03-06T22:00:00Z", .closed),  // Friday 17:00 EST
        ("2026-03-07T12:00:00Z", .closed), ("2026-03-08T20:59:00Z", .closed),  // Sunday 16:59 EDT (DST began)
        ("2026-03-08T21:00:00Z", .open), ("2026-03-10T03:00:00Z", .open),
    ])
    func fx(_ time: String, _ expected: MarketSession) {
        #expect(MarketSession.current(for: .fx, at: Self.utc(time)) == expected)
    }

    @Test func cryptoNeverCloses() {
        #expect(MarketSession.current(for: .crypto, at: Self.utc("2026-03-07T03:00:00Z")) == .open)
    }
}
