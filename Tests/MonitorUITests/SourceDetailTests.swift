import Collector
import CollectorTestSupport
import Foundation
import MonitorUI
import Testing

private let F = MarketFixtures.self

/// Issue 13 "say why": the detail of a focused source shows the full reason for its state,
/// its failing parts, feed delay, rate-limit budget or pause, last error and counters; the
/// symbol detail says why a symbol has no value and each source's feed delay.
@Suite("source and symbol detail")
struct SourceDetailTests {
    static let symbols = ["AAPL", "BTC-USD"].map(F.symbol)

    /// Alpaca degraded by its failing crypto part, a 15-minute delayed AAPL quote, a last
    /// error, and the budget its limiter reports: paused by the provider.
    static func snapshot() async -> MarketSnapshot {
        let clock = FixedTimeSource(F.baseTime)
        let state = MarketState(
            watchlist: symbols,
            sources: [.init(id: "alpaca", kind: "alpaca", priority: 1), .init(id: "yahoo", kind: "yahoo", priority: 2)],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
        let now = clock.now()
        await state.apply(
            accepted: [
                .quote(
                    F.quote(
                        "AAPL", source: "alpaca", bid: 189.41, ask: 189.43, last: 189.42, at: now - .seconds(900),
                        receivedAt: now, previousClose: 187.5)),
                .quote(
                    F.quote(
                        "BTC-USD", source: "yahoo", bid: 53001, ask: 53011, last: 53006, at: now - .seconds(2), receivedAt: now))
            ],
            health: [
                .partFailed(
                    "alpaca", part: "crypto", symbols: [symbols[1]],
                    .init(.circuitOpen(until: now + .seconds(60)), message: SnapshotFixtures.partReason, at: now - .seconds(90))),
                .failed(
                    "alpaca",
                    .init(.retrying, message: "ALPACA /v1beta3/crypto/us/snapshots HTTP 404: not found", at: now - .seconds(30))),
                .delivered("alpaca", .init(count: 12, path: .poll, roundTripMilliseconds: 120, at: now - .seconds(5))),
                .delivered("yahoo", .init(count: 2, path: .poll, roundTripMilliseconds: 210, at: now))
            ])
        return await state.snapshot()
    }

    static let paused = RateLimiter.Status(remaining: 0, capacity: 200, pausedUntil: F.baseTime + .seconds(240), refillsAt: nil)

    static func openedView(_ snapshot: MarketSnapshot) -> ViewState {
        var view = ViewState(watchlists: [Watchlist(name: "default", symbols: symbols)])
        _ = view.reduce(.snapshot(snapshot))
        _ = view.reduce(.key(.character("f")))  // focus SOURCES; ALPACA is selected
        let effects = view.reduce(.key(.enter))
        #expect(effects == [.loadBudget("alpaca")])
        _ = view.reduce(.budget("alpaca", paused))
        return view
    }

    @Test func theSourcesPanelSelectsASourceAndEnterOpensItsDetail() async {
        let snapshot = await Self.snapshot()
        var view = ViewState(watchlists: [Watchlist(name: "default", symbols: Self.symbols)])
        _ = view.reduce(.snapshot(snapshot))
        _ = view.reduce(.key(.character("f")))
        #expect(view.focus == .health)
        _ = view.reduce(.key(.character("j")))
        _ = view.reduce(.key(.character("j")))
        #expect(view.selectedSource?.source == "yahoo", "j moves to the next source and stops at the last")
        _ = view.reduce(.key(.character("k")))
        #expect(view.reduce(.key(.enter)) == [.loadBudget("alpaca")])
        #expect(view.mode == .sourceDetail("alpaca"))
        #expect(view.reduce(.snapshot(snapshot)) == [.loadBudget("alpaca")], "the budget is read again with each snapshot")
        _ = view.reduce(.budget("yahoo", nil))
        #expect(view.sourceBudget == nil, "another source's budget is not shown")
        _ = view.reduce(.budget("alpaca", Self.paused))
        #expect(view.sourceBudget?.status == Self.paused)
        #expect(view.reduce(.key(.character("r"))) == [.refresh, .loadBudget("alpaca")])
        _ = view.reduce(.key(.escape))
        #expect(view.mode == .board)
        #expect(view.focus == .health)
        #expect(view.reduce(.snapshot(snapshot)).isEmpty)
    }

    @Test func theFocusedSourcesPanelHighlightsTheSelectedSource() async {
        var view = ViewState(watchlists: [Watchlist(name: "default", symbols: Self.symbols)])
        _ = view.reduce(.snapshot(await Self.snapshot()))
        _ = view.reduce(.key(.character("f")))
        _ = view.reduce(.key(.character("j")))
        let (screen, _) = ScreenRenderer().render(view, width: 120, height: 30)
        let rows = screen.text().components(separatedBy: "\n")
        let yahoo = rows.firstIndex { $0.hasPrefix("YAHOO ") }
        let alpaca = rows.firstIndex { $0.hasPrefix("ALPACA ") }
        #expect(yahoo.map { screen[$0, 0].role } == .selection)
        #expect(alpaca.map { screen[$0, 0].role } == .warning, "ALPACA (degraded) keeps its colour")
    }

    @Test func theOnceTextSaysWhereEachPreviousCloseCameFrom() async {
        let text = OnceTextReport(snapshot: await Self.snapshot(), history: [], store: "memory").render()
        #expect(text.contains("\nPREV CLOSE  ALPACA quote 2026-02-27: AAPL\n"), "\(text)")
    }

    @Test func theSourceDetailReadsTheWholeReasonAt80x24() async {
        let view = Self.openedView(await Self.snapshot())
        let screen = ScreenRendererTests().expectScreen(view, 80, 24, "screen-source-detail-80x24")
        let text = screen.text()
        #expect(text.contains("SOURCE ALPACA (alpaca)  degraded"))
        // The reason and the failing part wrap, never cut: joined, each reads in full.
        let joined = Self.unwrapped(text, labelWidth: 11)
        #expect(joined.contains("crypto circuit-open since 14:58:30 UTC (BTC-USD): " + SnapshotFixtures.partReason), "\(joined)")
        #expect(joined.contains("why crypto circuit-open: " + SnapshotFixtures.partReason), "\(joined)")
        #expect(text.contains("15m between exchange time and receipt"))
        #expect(text.contains("paused by the provider until 2026-03-02 15:04:00 UTC"))
        #expect(
            joined.contains("last error 30s ago, at 14:59:30 UTC: ALPACA /v1beta3/crypto/us/snapshots HTTP 404: not found\n"),
            "\(joined)")
    }

    @Test func theSourceDetailAt200x50() async {
        let view = Self.openedView(await Self.snapshot())
        let screen = ScreenRendererTests().expectScreen(view, 200, 50, "screen-source-detail-200x50")
        #expect(screen.text().contains("counters   12 values"))
    }

    @Test func theSymbolDetailSaysWhyThereIsNoValueAndEachSourcesFeedDelay() async {
        let clock = FixedTimeSource(F.baseTime)
        let symbols = ["AAPL", "NOPE"].map(F.symbol)
        let state = MarketState(
            watchlist: symbols, sources: [.init(id: "finnhub", kind: "finnhub", priority: 1)], timeSource: clock)
        let now = clock.now()
        await state.apply(
            accepted: [
                .quote(
                    F.quote(
                        "AAPL", source: "finnhub", bid: 189.41, ask: 189.43, last: 189.42, at: now - .seconds(900),
                        receivedAt: now, previousClose: 187.5))
            ],
            health: [
                .connected("finnhub", detail: nil),
                .noData("finnhub", symbols[1], reason: "not subscribed: over the plan's 30-symbol limit (FINNHUB)")
            ])
        var view = ViewState(watchlists: [Watchlist(name: "default", symbols: symbols)])
        _ = view.reduce(.snapshot(await state.snapshot()))
        _ = view.reduce(.key(.enter))
        let aapl = ScreenRendererTests().expectScreen(view, 80, 24, "screen-detail-feed-delay")
        let header = aapl.text().components(separatedBy: "\n").first { $0.contains("SRC") && $0.contains("DELAY") }
        #expect(header != nil, "\(aapl.text())")
        let row = aapl.text().components(separatedBy: "\n").first { $0.contains("FINNHUB  189.41") }
        #expect(row?.contains("189.42  15m    15m") == true, "AGE and DELAY: \(aapl.text())")

        _ = view.reduce(.key(.escape))
        _ = view.reduce(.key(.character("j")))
        _ = view.reduce(.key(.enter))
        let nope = ScreenRendererTests().expectScreen(view, 80, 24, "screen-detail-no-data")
        #expect(
            nope.text().components(separatedBy: "\n")[2] == "no data: not subscribed: over the plan's 30-symbol limit (FINNHUB)")
    }

    /// The detail's items with their wrapped lines joined: `label text…`.
    static func unwrapped(_ text: String, labelWidth: Int) -> String {
        var items: [String] = []
        for line in text.components(separatedBy: "\n").dropFirst(3) {
            let label = line.prefix(labelWidth).trimmingCharacters(in: .whitespaces)
            let rest = line.dropFirst(labelWidth).trimmingCharacters(in: .whitespaces)
            if label.isEmpty, !items.isEmpty { items[items.count - 1] += " " + rest } else { items.append(label + " " + rest) }
        }
        return items.joined(separator: "\n")
    }
}
