import Collector
import CollectorTestSupport
import MonitorUI
import Testing

/// Without a UTF-8 locale the board is drawn in ASCII, keeping what the glyphs mean.
@Suite("Glyph set")
struct GlyphSetTests {
    /// One cell holding `character`.
    static func cell(_ character: Character) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: 1, height: 1)
        buffer[0, 0] = Cell(character)
        return buffer
    }

    @Test func asciiBoardHasOnlyAsciiAndKeepsFramesAndSparklines() async {
        let (unicode, _) = ScreenRenderer().render(await SnapshotFixtures.viewState(), width: 120, height: 30)
        let ascii = GlyphSet.ascii.apply(to: unicode).text()
        #expect(ascii.allSatisfy { $0.isASCII })
        let unmapped = Set(
            unicode.text().filter { !$0.isASCII && GlyphSet.ascii.apply(to: Self.cell($0))[0, 0].character == "?" })
        #expect(unmapped.isEmpty, "no fallback for \(unmapped.sorted())")
        #expect(ascii.contains("-- SOURCES"))
        #expect(GlyphSet.unicode.apply(to: unicode) == unicode)
        #expect(GlyphSet.forLocale(utf8: false) == .ascii && GlyphSet.forLocale(utf8: true) == .unicode)
    }

    @Test func sparklineLevelsStayOrdered() {
        var buffer = ScreenBuffer(width: 8, height: 1)
        buffer.put(String(Sparkline.levels), row: 0)
        #expect(GlyphSet.ascii.apply(to: buffer).text() == "_.-~=+*#")
    }

    @Test func chartsAndOverlaysInAscii() async {
        var state = await SnapshotFixtures.viewState()
        state.detailBars = SnapshotFixtures.detailBars()
        for mode in [ViewMode.detail(MarketFixtures.symbol("AAPL")), .help] {
            state.mode = mode
            let (screen, _) = ScreenRenderer().render(state, width: 120, height: 40)
            let ascii = GlyphSet.ascii.apply(to: screen).text()
            #expect(ascii.allSatisfy { $0.isASCII })
            let unmapped = Set(
                screen.text().filter { !$0.isASCII && GlyphSet.ascii.apply(to: Self.cell($0))[0, 0].character == "?" })
            #expect(unmapped.isEmpty, "\(mode): no fallback for \(unmapped.sorted())")
        }
    }

    @Test func brailleDotsKeepTheirHeight() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("\u{2801}\u{2840}\u{2841}\u{2800}", row: 0)  // top dot, bottom dot, both, none
        #expect(GlyphSet.ascii.apply(to: buffer)[0, 0].character == "'")
        #expect(GlyphSet.ascii.apply(to: buffer)[0, 1].character == ".")
        #expect(GlyphSet.ascii.apply(to: buffer)[0, 2].character == ":")
        #expect(GlyphSet.ascii.apply(to: buffer)[0, 3].character == " ")
    }
}
