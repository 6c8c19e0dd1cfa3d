import MonitorUI
import Testing

@Suite struct ThemeColorTests {
    /// (colour, at 256, at 16, at 8)
    static let degradations: [(ThemeColor, ThemeColor, ThemeColor, ThemeColor)] = [
        (.rgb(red: 255, green: 0, blue: 0), .indexed(196), .ansi(9), .ansi(1)),
        (.rgb(red: 0, green: 0, blue: 0), .indexed(16), .ansi(0), .ansi(0)),
        (.rgb(red: 255, green: 255, blue: 255), .indexed(231), .ansi(15), .ansi(7)),
        (.rgb(red: 0x80, green: 0x80, blue: 0x80), .indexed(244), .ansi(8), .ansi(7)),
        (.rgb(red: 0x5f, green: 0xaf, blue: 0xff), .indexed(75), .ansi(12), .ansi(4)),
        (.indexed(34), .indexed(34), .ansi(2), .ansi(2)),
        (.indexed(214), .indexed(214), .ansi(3), .ansi(3)),
        (.indexed(5), .indexed(5), .ansi(5), .ansi(5)),
        (.indexed(13), .indexed(13), .ansi(13), .ansi(5)),
        (.ansi(9), .ansi(9), .ansi(9), .ansi(1)),
        (.ansi(14), .ansi(14), .ansi(14), .ansi(6)),
        (.default, .default, .default, .default)
    ]

    @Test(arguments: degradations)
    func degradesStepByStep(colour: ThemeColor, at256: ThemeColor, at16: ThemeColor, at8: ThemeColor) {
        #expect(colour.degraded(to: .full256) == at256)
        #expect(colour.degraded(to: .sixteen) == at16)
        #expect(colour.degraded(to: .eight) == at8)
        #expect(colour.degraded(to: .none) == nil)
    }

    @Test(arguments: [ThemeColor.rgb(red: 12, green: 200, blue: 99), .indexed(200), .ansi(11), .default])
    func degradedColoursFitTheDepth(colour: ThemeColor) {
        #expect(colour.degraded(to: .full256)?.paletteIndex.map { $0 < 256 } ?? true)
        #expect(colour.degraded(to: .sixteen)?.paletteIndex.map { $0 < 16 } ?? true)
        #expect(colour.degraded(to: .eight)?.paletteIndex.map { $0 < 8 } ?? true)
    }

    @Test func parsesNamesIndicesAndHex() {
        #expect(ThemeColor(name: "default") == .default)
        #expect(ThemeColor(name: "red") == .ansi(1))
        #expect(ThemeColor(name: "bright-white") == .ansi(15))
        #expect(ThemeColor(name: "Red") == nil)
        #expect(ThemeColor(index: 255) == .indexed(255))
        #expect(ThemeColor(index: 256) == nil)
        #expect(ThemeColor(index: -1) == nil)
        #expect(ThemeColor(hex: "#FF8000") == .rgb(red: 255, green: 128, blue: 0))
        #expect(ThemeColor(hex: "#ff800") == nil)
        #expect(ThemeColor(hex: "ff8000") == nil)
        #expect(ThemeColor(hex: "#gg8000") == nil)
    }

    @Test func describesColoursAsWrittenInFiles() {
        #expect(ThemeColor.rgb(red: 255, green: 10, blue: 0).description == "#ff0a00")
        #expect(ThemeColor.ansi(8).description == "bright-black")
        #expect(ThemeColor.indexed(196).description == "196")
        #expect(ThemeColor.default.description == "default")
    }
}
