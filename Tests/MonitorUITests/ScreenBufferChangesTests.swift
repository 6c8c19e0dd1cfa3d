import Testing

import MonitorUI

/// `ScreenBuffer.forEachChange(since:)`: what the terminal copies out when the board redraws.
@Suite("Screen buffer changes")
struct ScreenBufferChangesTests {
    static func changes(of buffer: ScreenBuffer, since previous: ScreenBuffer?) -> [String] {
        var changes: [String] = []
        buffer.forEachChange(since: previous) { row, column, cell in
            changes.append("\(row),\(column) \(cell.character) \(cell.role)")
        }
        return changes
    }

    @Test func everyCellWithoutAPreviousFrame() {
        var buffer = ScreenBuffer(width: 3, height: 2)
        buffer.put("ab", row: 1, column: 1, role: .up)
        #expect(
            Self.changes(of: buffer, since: nil) == ["0,0   text", "0,1   text", "0,2   text", "1,0   text", "1,1 a up", "1,2 b up"])
    }

    @Test func onlyTheCellsThatDiffer() {
        var previous = ScreenBuffer(width: 4, height: 3)
        previous.put("1.25", row: 0)
        previous.put("AAPL", row: 2)
        var buffer = previous
        #expect(Self.changes(of: buffer, since: previous).isEmpty, "a frame like the last one changes nothing")
        buffer.put("1.26", row: 0, role: .up)  // one character and a role
        buffer.fill(row: 2, role: .selection)  // roles only
        #expect(
            Self.changes(of: buffer, since: previous) == [
                "0,0 1 up", "0,1 . up", "0,2 2 up", "0,3 6 up", "2,0 A selection", "2,1 A selection", "2,2 P selection",
                "2,3 L selection"
            ])
        buffer = previous
        buffer.put("2", row: 0, column: 3)
        #expect(Self.changes(of: buffer, since: previous) == ["0,3 2 text"])
    }

    @Test func everyCellAfterASizeChange() {
        let previous = ScreenBuffer(width: 2, height: 2)
        let buffer = ScreenBuffer(width: 3, height: 2)
        #expect(Self.changes(of: buffer, since: previous).count == 6)
    }
}
