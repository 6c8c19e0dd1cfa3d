import Collector
import CollectorTestSupport
import Foundation
import MonitorUI
import Testing

private let F = MarketFixtures.self

/// A closed market is shown as closed, never as stale: on the board, in the
/// status line, in `--once` text and JSON, and in the exit status.
@Suite("Market closed")
struct MarketClosedTests {
    /// AAPL and BTC-USD quoted at `time` (New York), seen `later` afterwards.
    static func snapshot(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, later: Duration = .seconds(600)) async
        -> MarketSnapshot
    {
        let clock = FixedTimeSource(Timestamp.newYork(year: year, month: month, day: day, hour: hour)!)
        let state = MarketState(
            watchlist: ["AAPL", "BTC-USD"].map(F.symbol), sources: [.init(id: .simulated, kind: "simulated", priority: 1)],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
        await state.apply(accepted: [
            .quote(F.quote("AAPL", last: 189.42, at: clock.now() - later, previousClose: 187.5)),
            .quote(F.quote("BTC-USD", last: 61_000, at: clock.now(), previousClose: 60_000))
        ])
        await state.evaluateAlerts()
        return await state.snapshot()
    }

    @Test func thanksgivingShowsClosedNotStale() async throws {
        let snapshot = await Self.snapshot(2026, 11, 26, 11)
        #expect(snapshot.symbols.map(\.quality) == [.closed, .clean])
        #expect(snapshot.openAlerts.isEmpty)

        var view = ViewState(watchlists: [Watchlist(name: "default", symbols: ["AAPL", "BTC-USD"].map(F.symbol))])
        _ = view.reduce(.snapshot(snapshot))
        let (screen, _) = ScreenRenderer().render(view, width: 120, height: 20)
        let lines = screen.text().components(separatedBy: "\n")
        let aapl = try #require(lines.firstIndex { $0.hasPrefix("AAPL") })
        #expect(lines[aapl].hasSuffix("CLOSED") || lines[aapl].contains(" CLOSED "), "\(lines[aapl])")
        #expect(!lines[aapl].contains("STALE"))
        #expect(screen[aapl, 1].role == .dim || screen[aapl, 1].role == .selection)
        #expect(lines[19].contains("│ US closed (Thanksgiving)"), "\(lines[19])")

        let text = OnceTextReport(snapshot: snapshot, history: [], store: nil).render()
        #expect(text.contains("SESSIONS  US closed (Thanksgiving) · crypto open"))
        #expect(text.contains("status: all open markets fresh and clean; market closed for AAPL (exit 0)"))
        #expect(!text.contains("last known good"))

        let verdict = OnceVerdict(snapshot)
        #expect(verdict == .clean(closed: [F.symbol("AAPL")]))
        #expect(verdict.exitCode == 0, "a closed market is not stale: no exit 2")

        let data = try JSONEncoder().encode(OnceReport(snapshot: snapshot, history: [], store: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let quotes = try #require(object["quotes"] as? [[String: Any]])
        #expect(quotes[0]["quality"] as? String == "closed")
        #expect(quotes[0]["session"] as? String == "closed")
        #expect(quotes[0]["sessionNote"] as? String == "holiday: Thanksgiving")
        #expect(quotes[0]["staleAfterSeconds"] == nil || quotes[0]["staleAfterSeconds"] is NSNull)
        #expect(quotes[1]["session"] as? String == "open")
        #expect(quotes[1]["staleAfterSeconds"] as? Double == 60)
        #expect(object["exitCode"] as? Int == 0)
        #expect(object["status"] as? String == "clean")
    }

    @Test func earlyCloseIsShownInTheStatusLine() async {
        let snapshot = await Self.snapshot(2026, 11, 27, 11, later: .seconds(1))
        #expect(snapshot.symbols[0].session.description == "open, closes 13:00")
        var view = ViewState(watchlists: [Watchlist(name: "default", symbols: ["AAPL", "BTC-USD"].map(F.symbol))])
        _ = view.reduce(.snapshot(snapshot))
        let (screen, _) = ScreenRenderer().render(view, width: 120, height: 20)
        #expect(screen.text().components(separatedBy: "\n")[19].contains("│ US open, closes 13:00"))
    }

    @Test func aStaleValueWhileOpenStillExits2() async {
        let snapshot = await Self.snapshot(2026, 11, 24, 11)
        #expect(snapshot.symbols[0].quality == .stale)
        #expect(OnceVerdict(snapshot) == .stale(symbols: [F.symbol("AAPL")]))
        #expect(OnceVerdict(snapshot).exitCode == 2)
    }
}
