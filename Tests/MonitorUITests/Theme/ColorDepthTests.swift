import MonitorUI
import Testing

@Suite struct ColorDepthTests {
    @Test(arguments: [
        (0, ColorDepth.none), (2, .none), (8, .eight), (16, .sixteen), (88, .sixteen), (256, .full256), (16_777_216, .eight)
    ])
    func followsTheTerminal(colors: Int, expected: ColorDepth) {
        #expect(ColorDepth.detect(colors: colors, environment: [:]) == expected)
    }

    @Test(arguments: ["1", "true", "0", "yes"])
    func noColorTurnsColourOff(value: String) {
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": value]) == ColorDepth.none)
    }

    @Test func emptyNoColorIsIgnored() {
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": ""]) == .full256)
    }

    @Test(arguments: [
        ("none", 256, ColorDepth.none), ("8", 256, .eight), ("16", 256, .sixteen), ("256", 16, .sixteen), ("lots", 256, .full256)
    ])
    func overrideOnlyLowers(setting: String, colors: Int, expected: ColorDepth) {
        #expect(ColorDepth.detect(colors: colors, environment: ["TICKTOP_COLORS": setting]) == expected)
    }
}
