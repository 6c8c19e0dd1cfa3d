import Collector
import CollectorTestSupport
import Foundation
import MonitorUI
import Testing

private let F = MarketFixtures.self

/// The COLLECTORS panel: shown on the board while the snapshot carries a fleet.
@Suite("Collectors panel")
struct CollectorsPanelTests {
    static func member(_ id: String, host: String, heartbeatAgo seconds: Int64, symbols: Int, stopped: Bool = false)
        -> FleetMember
    {
        FleetMember(
            id: id, host: host, pid: 4_200, version: "0.1.0", startedAt: F.baseTime - .seconds(3_600),
            heartbeatAt: F.baseTime - .seconds(seconds), stoppedAt: stopped ? F.baseTime - .seconds(seconds) : nil,
            sources: ["alpaca", .simulated], watchlist: [], symbolCount: symbols)
    }

    static func state(_ members: [FleetMember]) async -> ViewState {
        var snapshot = await SnapshotFixtures.snapshot()
        snapshot.fleet = FleetSnapshot(
            members: members, leaseTTL: .seconds(15), wanted: 1_204, readAt: F.baseTime, own: "desk-a:4200")
        var state = ViewState(watchlists: SnapshotFixtures.watchlists)
        _ = state.reduce(.snapshot(snapshot))
        return state
    }

    func screen(_ state: ViewState, _ width: Int, _ height: Int, _ name: String) -> ScreenBuffer {
        let (screen, _) = ScreenRenderer().render(state, width: width, height: height)
        switch TextSnapshot.verify(screen.text(), named: name) {
        case .matched: break
        case .recorded(let path): Issue.record("recorded \(path); run again without RECORD_SNAPSHOTS")
        case .missing(let path): Issue.record("no snapshot at \(path); run with RECORD_SNAPSHOTS=1")
        case .mismatch(_, let diff): Issue.record("screen \(name) differs:\n\(diff)")
        }
        return screen
    }

    /// The role of the first cell of `text` on screen, if it is there.
    func role(_ screen: ScreenBuffer, of text: String) -> CellRole? {
        for row in 0..<screen.height {
            let cells = (0..<screen.width).map { screen[row, $0] }
            let line = String(cells.map(\.character))
            if let range = line.range(of: text) { return cells[line.distance(from: line.startIndex, to: range.lowerBound)].role }
        }
        return nil
    }

    @Test func eachCollectorWithHostVersionHeartbeatSymbolsAndSources() async {
        let state = await Self.state([
            Self.member("desk-a:4200", host: "desk-a", heartbeatAgo: 2, symbols: 402),
            Self.member("rack-7:311", host: "rack-7", heartbeatAgo: 40, symbols: 0),
            Self.member("rack-9:18", host: "rack-9", heartbeatAgo: 4, symbols: 401),
            Self.member("old-box:9", host: "old-box", heartbeatAgo: 600, symbols: 0, stopped: true)
        ])
        let screen = screen(state, 120, 36, "screen-board-collectors-120x36")
        #expect(role(screen, of: "COLLECTORS (2 alive, 1,204 symbols wanted)") == .border)
        #expect(role(screen, of: "*desk-a:4200") == .text)
        #expect(role(screen, of: "rack-7:311") == .dim, "a dead collector is dimmed")
        #expect(role(screen, of: "old-box:9") == .dim)
    }

    @Test func aFleetWithNoCollectorAliveSaysSince() async {
        let state = await Self.state([Self.member("rack-7:311", host: "rack-7", heartbeatAgo: 75, symbols: 0)])
        let screen = screen(state, 80, 30, "screen-board-collectors-none-alive-80x30")
        #expect(role(screen, of: "no collector alive since \((F.baseTime - .seconds(75)).clockText) UTC") == .warning)
    }

    /// What a viewer of a shared store (`StoreViewer`) shows when the fleet is gone: the fixture's
    /// market with its collectors dead or stopped since 14:58:45 UTC.
    static func viewerWithNoCollectorAlive() async -> MarketSnapshot {
        var snapshot = await SnapshotFixtures.snapshot()
        let last = F.baseTime - .seconds(75)
        snapshot.fleet = FleetSnapshot(
            members: [
                Self.member("rack-7:311", host: "rack-7", heartbeatAgo: 75, symbols: 0),
                Self.member("rack-9:18", host: "rack-9", heartbeatAgo: 90, symbols: 0, stopped: true)
            ], leaseTTL: .seconds(15), wanted: 5, readAt: F.baseTime - .seconds(2))
        var follow = StoreFollowStatus(location: "postgres://desk:***@db/ticks")
        (follow.caughtUpAt, follow.storeHasQuotes) = (F.baseTime - .seconds(300), true)
        (follow.fleetAlive, follow.noCollectorSince) = (false, last)
        snapshot.follow = follow
        snapshot.earlierAlerts = []  // a viewer shows the stored alerts only
        StoreViewer.notLive(&snapshot, since: last)
        return snapshot
    }

    /// The viewer's board: the banner says since when no collector is alive, the panel lists the
    /// dead, and no price of an open market looks live (STALE, with the reason in the detail).
    @Test func aViewerWithNoCollectorAliveSaysSoAndShowsNoPriceAsLive() async {
        var snapshot = await Self.viewerWithNoCollectorAlive()
        snapshot.alerts = []
        var state = ViewState(watchlists: SnapshotFixtures.watchlists)
        _ = state.reduce(.snapshot(snapshot))
        #expect(state.storeProblem == "no collector alive since 14:58:45 UTC: prices are not live")
        let screen = screen(state, 120, 36, "screen-viewer-no-collector-alive-120x36")
        #expect(role(screen, of: "STORE: no collector alive since 14:58:45 UTC") == .error)
        #expect(role(screen, of: "rack-7:311") == .dim)
        #expect(role(screen, of: "no alerts stored: no collector is alive to raise them") == .dim)
        for symbol in snapshot.symbols where symbol.selected != nil {
            #expect(symbol.quality != .clean, "\(symbol.symbol) does not look live")
        }
        let aapl = snapshot.symbol(F.symbol("AAPL"))
        #expect(aapl?.quality == .stale && aapl?.staleReason == "no collector alive since 14:58:45 UTC")
        // No source looks live either: the state stored is kept in the detail.
        #expect(snapshot.sources.contains { $0.state == .notCollected })
        for source in snapshot.sources {
            #expect(!source.state.isUp, "\(source.source.label) is \(source.state.rawValue)")
        }
        #expect(role(screen, of: "not-collected   1s") == .warning, "in SOURCES")
    }

    /// A viewer with collectors alive: the panel lists them from the store, no banner, prices as they are.
    @Test func aViewerOfALiveFleetShowsItsCollectors() async {
        var snapshot = await SnapshotFixtures.snapshot()
        snapshot.fleet = FleetSnapshot(
            members: [
                Self.member("rack-7:311", host: "rack-7", heartbeatAgo: 3, symbols: 3),
                Self.member("rack-9:18", host: "rack-9", heartbeatAgo: 1, symbols: 2)
            ], leaseTTL: .seconds(15), wanted: 5, readAt: F.baseTime - .seconds(1))
        var follow = StoreFollowStatus(location: "postgres://desk:***@db/ticks")
        (follow.caughtUpAt, follow.storeHasQuotes, follow.fleetAlive) = (F.baseTime - .seconds(300), true, true)
        snapshot.follow = follow
        var state = ViewState(watchlists: SnapshotFixtures.watchlists)
        _ = state.reduce(.snapshot(snapshot))
        #expect(state.storeProblem == nil)
        let screen = screen(state, 120, 36, "screen-viewer-collectors-120x36")
        #expect(role(screen, of: "COLLECTORS (2 alive, 5 symbols wanted)") == .border)
        #expect(role(screen, of: "rack-9:18") == .text)
    }

    /// `--once --store postgres` on a fleet that is gone: the report lists the collectors and says
    /// since when none is alive, in text and JSON, and exits 2 (stale) even where markets are closed.
    @Test func onceOnAFleetWithNoCollectorAliveSaysSoAndExitsStale() async throws {
        var snapshot = await Self.viewerWithNoCollectorAlive()
        let verdict = OnceVerdict(snapshot)
        #expect(verdict == .noCollector(since: F.baseTime - .seconds(75)) && verdict.exitCode == 2)
        let text = OnceTextReport(snapshot: snapshot, history: [], store: "postgres://desk:***@db/ticks").render()
        switch TextSnapshot.verify(text, named: "once-text-viewer-no-collector-alive") {
        case .matched: break
        case .recorded(let path): Issue.record("recorded \(path); run again without RECORD_SNAPSHOTS")
        case .missing(let path): Issue.record("no snapshot at \(path); run with RECORD_SNAPSHOTS=1")
        case .mismatch(_, let diff): Issue.record("report differs:\n\(diff)")
        }
        let data = try JSONEncoder().encode(OnceReport(snapshot: snapshot, history: [], store: "postgres"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["status"] as? String == "no-collector" && object["exitCode"] as? Int == 2)
        let fleet = try #require(object["fleet"] as? [String: Any])
        #expect(fleet["alive"] as? Int == 0 && fleet["noCollectorSince"] as? String == "2026-03-02T14:58:45.000Z")
        let collectors = try #require(fleet["collectors"] as? [[String: Any]])
        #expect(collectors.map { $0["id"] as? String } == ["rack-7:311", "rack-9:18"])
        #expect(collectors.last?["stoppedAt"] as? String == "2026-03-02T14:58:30.000Z")

        // Every market closed: nothing is stale by itself, and the verdict still says no collector.
        for index in snapshot.symbols.indices { snapshot.symbols[index].quality = .closed }
        #expect(OnceVerdict(snapshot).exitCode == 2)
        snapshot.follow?.fleetAlive = true
        snapshot.quarantinedCount = 0
        #expect(OnceVerdict(snapshot) == .clean(closed: snapshot.symbols.map(\.symbol)))
    }

    @Test func withoutAFleetThereIsNoPanel() async {
        let (screen, _) = ScreenRenderer().render(await SnapshotFixtures.viewState(), width: 120, height: 36)
        #expect(!screen.text().contains("COLLECTORS"))
    }
}
