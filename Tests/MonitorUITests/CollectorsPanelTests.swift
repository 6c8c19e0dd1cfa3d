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

    @Test func withoutAFleetThereIsNoPanel() async {
        let (screen, _) = ScreenRenderer().render(await SnapshotFixtures.viewState(), width: 120, height: 36)
        #expect(!screen.text().contains("COLLECTORS"))
    }
}
