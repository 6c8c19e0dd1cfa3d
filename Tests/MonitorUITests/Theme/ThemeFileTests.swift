import Foundation
import MonitorUI
import Testing

/// The theme files shipped in the repository's `themes/` folder.
@Suite struct ThemeFileTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    static let shipped = ["default", "light", "high-contrast", "mono"]

    @Test(arguments: shipped)
    func shippedThemeParsesAndNamesEveryRole(name: String) throws {
        let path = Self.themesDirectory + "/\(name).toml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let theme = try ThemeLoader.parse(text, file: path)
        #expect(theme.name == name)
        #expect(!theme.description.isEmpty)
        for role in CellRole.allCases {
            #expect(text.contains("\n\(role.themeKey) = "), "\(name).toml should style \(role.themeKey)")
        }
        let styles = Set(CellRole.allCases.map(theme.style(for:)))
        #expect(styles.count > 5, "roles should look different")
    }

    @Test func shippedThemesAreAvailable() {
        #expect(ThemeLoader.availableThemes(in: [Self.themesDirectory]) == Self.shipped.sorted())
    }

    @Test func compiledInDefaultEqualsTheFile() throws {
        let theme = try ThemeLoader.load("default", searchDirectories: [Self.themesDirectory])
        #expect(theme.name == Theme.builtInDefault.name)
        #expect(theme.description == Theme.builtInDefault.description)
        for role in CellRole.allCases {
            #expect(theme.style(for: role) == Theme.builtInDefault.style(for: role), "\(role.themeKey)")
        }
        #expect(theme == Theme.builtInDefault)
    }

    @Test func monoUsesNoColours() throws {
        let theme = try ThemeLoader.load("mono", searchDirectories: [Self.themesDirectory])
        for role in CellRole.allCases {
            let style = theme.style(for: role)
            #expect(style.foreground == .default && style.background == .default, "\(role.themeKey)")
        }
        #expect(theme.style(for: .selection).reverse)
        #expect(theme.style(for: .header).bold)
    }

    @Test(arguments: shipped)
    func upAndDownStayApartAtEveryColourDepth(name: String) throws {
        let theme = try ThemeLoader.load(name, searchDirectories: [Self.themesDirectory])
        let up = theme.style(for: .up)
        let down = theme.style(for: .down)
        for depth in ColorDepth.allCases where depth != .none || name == "mono" {
            let apart =
                up.foreground.degraded(to: depth) != down.foreground.degraded(to: depth)
                || up.bold != down.bold || up.underline != down.underline || up.reverse != down.reverse
            #expect(apart, "\(name) at \(depth)")
        }
    }
}
