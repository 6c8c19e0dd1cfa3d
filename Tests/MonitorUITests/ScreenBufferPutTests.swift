import CollectorTestSupport
import MonitorUI
import Testing

/// `ScreenBuffer.put`: plain ASCII takes a byte-by-byte path, everything else goes character by
/// character; both must put the same cells as writing the text's characters one per cell.
@Suite("Screen buffer put")
struct ScreenBufferPutTests {
    /// Pieces that mix the two paths: ASCII, CR LF (two bytes, one character), a combining
    /// mark after an ASCII letter (one character), box drawing and sparkline blocks, an emoji.
    static let pieces = ["AAPL", "1.25", " ", "-", "\r\n", "\r", "e\u{301}", "─", "▁▂█", "◆", "👍🏽", "x"]

    /// What `put` must leave: the first `limit` characters from `column`, each in its own cell,
    /// cut at the edges.
    static func expected(
        _ text: String, in buffer: ScreenBuffer, row: Int, column: Int, limit: Int, role: CellRole
    ) -> ScreenBuffer {
        var buffer = buffer
        guard row >= 0, row < buffer.height else { return buffer }
        for (offset, character) in text.prefix(max(0, limit)).enumerated() {
            let x = column + offset
            if x >= 0 && x < buffer.width { buffer[row, x] = Cell(character, role: role) }
        }
        return buffer
    }

    @Test func seededTextsLandAsTheirCharacters() {
        var random = SplitMix64(seed: 17)
        var buffer = ScreenBuffer(width: 12, height: 3)
        for round in 0..<2_000 {
            let text = (0..<Int.random(in: 0...5, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }
                .joined()
            let row = Int.random(in: -1...3, using: &random)
            let column = Int.random(in: -6...14, using: &random)
            let limit = Int.random(in: -1...16, using: &random)
            let role = CellRole.allCases.randomElement(using: &random)!
            let want = Self.expected(text, in: buffer, row: row, column: column, limit: limit, role: role)
            buffer.put(text, row: row, column: column, role: role, limit: limit)
            #expect(buffer == want, "round \(round): \(text.debugDescription) at \(row),\(column) limit \(limit)")
            if buffer != want { return }
            if round.isMultiple(of: 50) { buffer = ScreenBuffer(width: 12, height: 3) }
        }
    }

    @Test func withoutALimitTheRightEdgeCuts() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("ABCDEFG", row: 0, column: -1)
        #expect(buffer.text() == "BCDEF")
        buffer.put("─e\u{301}\r\nZ", row: 0, column: 2, role: .up)
        // One cell per character, each keeping its first scalar (what the terminal draws).
        #expect(buffer.text() == "BC─e\r")
        #expect(buffer[0, 1].role == .text && buffer[0, 2].role == .up)
    }

    @Test func blanksTakeTheRoleWithinTheRow() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("ABCD", row: 0)
        buffer.blank(row: 0, column: -1, count: 3, role: .down)
        #expect(buffer.text() == "  CD")
        #expect((0..<4).map { buffer[0, $0].role } == [.down, .down, .text, .text])
        buffer.blank(row: 0, column: 3, count: 5, role: .up)
        #expect(buffer[0, 3] == Cell(" ", role: .up))
    }

    @Test func cellCountIsTheCharacterCount() {
        for text in ["", "AAPL", "\r\n", "e\u{301}", "──", "a\rb"] {
            #expect(ScreenBuffer.cellCount(text) == text.count, "\(text.debugDescription)")
        }
    }
}
