import Collector
import CollectorTestSupport
import MonitorUI
import Testing

@Suite("Live board renderer")
struct LiveBoardRendererTests {
    @Test func boardAt100x24() async {
        let snapshot = await SnapshotFixtures.snapshot()
        let screen = LiveBoardRenderer().render(snapshot, width: 100, height: 24)
        switch TextSnapshot.verify(screen.text(), named: "board-100x24") {
        case .matched: break
        case let other: Issue.record("snapshot board-100x24: \(other)")
        }
        // Stale rows are dimmed, not blanked; the quarantined row is marked.
        let rows = (0..<screen.height).map { row in (0..<screen.width).map { screen[row, $0] } }
        let msftRow = rows.first { String($0.map(\.character)).hasPrefix("MSFT") }
        #expect(msftRow?.first?.role == .stale)
        let btcRow = rows.first { String($0.map(\.character)).hasPrefix("BTC-USD") }
        #expect(btcRow?.first?.role == .warning)
    }

    @Test(arguments: [(0, 0), (1, 1), (10, 3), (19, 40), (30, 4)])
    func tinyTerminalsNeverCrash(_ width: Int, _ height: Int) async {
        let snapshot = await SnapshotFixtures.snapshot()
        let screen = LiveBoardRenderer().render(snapshot, width: width, height: height)
        #expect(screen.width == width && screen.height == height)
        if width >= 18 && height >= 2 {
            #expect(screen.text().contains("terminal too small"))
        }
    }

    @Test func narrowTerminalClipsInsteadOfWrapping() async {
        let snapshot = await SnapshotFixtures.snapshot()
        let screen = LiveBoardRenderer().render(snapshot, width: 40, height: 12)
        let lines = screen.text().components(separatedBy: "\n")
        #expect(lines.count == 12)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines.last == "q quit")
    }
}
