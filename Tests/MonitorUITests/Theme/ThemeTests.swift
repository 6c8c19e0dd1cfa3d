import MonitorUI
import Testing

@Suite struct ThemeTests {
    @Test func missingRolesFallBackToText() throws {
        let text = """
            name = "sparse"
            [roles]
            text = { fg = "white", bg = "#102030", underline = true }
            up = { fg = 46 }
            """
        let theme = try ThemeLoader.parse(text, file: "sparse.toml")
        let base = CellStyle(foreground: .ansi(7), background: .rgb(red: 0x10, green: 0x20, blue: 0x30), underline: true)
        #expect(theme.style(for: .text) == base)
        #expect(theme.style(for: .up) == CellStyle(foreground: .indexed(46)))
        for role in CellRole.allCases where role != .text && role != .up {
            #expect(theme.style(for: role) == base, "\(role.themeKey)")
        }
    }

    @Test func withoutRolesEverythingIsPlain() throws {
        let theme = try ThemeLoader.parse("name = \"bare\"\n", file: "bare.toml")
        #expect(theme.description == "")
        for role in CellRole.allCases { #expect(theme.style(for: role) == .plain) }
    }

    @Test func readsEveryKeyOfARole() throws {
        let text = """
            name = "full"
            description = "all keys"
            [roles.status-bar]
            fg = "bright-magenta"
            bg = 17
            bold = true
            dim = true
            reverse = true
            underline = true
            """
        let theme = try ThemeLoader.parse(text, file: "full.toml")
        #expect(theme.name == "full")
        #expect(theme.description == "all keys")
        #expect(
            theme.style(for: .statusBar)
                == CellStyle(
                    foreground: .ansi(13), background: .indexed(17), bold: true, dim: true, reverse: true, underline: true))
        #expect(theme.style(for: .text) == .plain)
    }

    @Test func initResolvesEveryRole() {
        let theme = Theme(name: "t", styles: [.error: CellStyle(bold: true)])
        #expect(theme.style(for: .error).bold)
        #expect(theme.style(for: .header) == .plain)
    }
}
