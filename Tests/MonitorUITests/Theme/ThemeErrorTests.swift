import MonitorUI
import Testing

@Suite struct ThemeErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        var line: Int
        var key: String?
        var fragments: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "unknown role", text: "name = \"t\"\n[roles]\ntext = {}\nuup = { fg = \"green\" }\n",
            line: 4, key: "roles.uup", fragments: ["unknown role", "up", "status-bar"]),
        Case(
            label: "unknown key in a role", text: "name = \"t\"\n[roles]\ntext = {}\nup = { colour = \"green\" }\n",
            line: 4, key: "roles.up.colour", fragments: ["unknown key", "fg, bg, bold, dim, reverse, underline"]),
        Case(
            label: "bad colour name", text: "name = \"t\"\n[roles]\ntext = {}\ndown = { fg = \"grean\" }\n",
            line: 4, key: "roles.down.fg",
            fragments: ["unknown colour \"grean\"", "default, black, red", "bright-white", "#rrggbb"]),
        Case(
            label: "index 256", text: "name = \"t\"\n[roles]\ntext = {}\nwarning = { bg = 256 }\n",
            line: 4, key: "roles.warning.bg", fragments: ["256", "0...255"]),
        Case(
            label: "bad hex", text: "name = \"t\"\n[roles]\ntext = {}\nerror = { fg = \"#ff00\" }\n",
            line: 4, key: "roles.error.fg", fragments: ["\"#ff00\"", "#rrggbb"]),
        Case(
            label: "quoted index", text: "name = \"t\"\n[roles]\ntext = {}\nerror = { fg = \"196\" }\n",
            line: 4, key: "roles.error.fg", fragments: ["without quotes"]),
        Case(
            label: "bold is a string", text: "name = \"t\"\n[roles]\ntext = {}\nheader = { bold = \"yes\" }\n",
            line: 4, key: "roles.header.bold", fragments: ["expected true or false", "a string"]),
        Case(
            label: "colour is a boolean", text: "name = \"t\"\n[roles]\ntext = {}\nborder = { fg = true }\n",
            line: 4, key: "roles.border.fg", fragments: ["got a boolean"]),
        Case(
            label: "role is not a table", text: "name = \"t\"\n[roles]\ntext = {}\nselection = \"reverse\"\n",
            line: 4, key: "roles.selection", fragments: ["expected a table"]),
        Case(
            label: "role sub-table", text: "name = \"t\"\n\n[roles.status-bar]\nfg = \"cyan\"\nbg = 300\n",
            line: 5, key: "roles.status-bar.bg", fragments: ["300"]),
        Case(
            label: "unknown top-level key", text: "name = \"t\"\ndescription = \"d\"\ncolours = 256\n",
            line: 3, key: "colours", fragments: ["unknown key", "name, description, roles"]),
        Case(
            label: "roles is not a table", text: "name = \"t\"\n\nroles = 3\n",
            line: 3, key: "roles", fragments: ["expected a table of roles", "an integer"]),
        Case(
            label: "name is not a string", text: "# comment\nname = 3\n",
            line: 2, key: "name", fragments: ["expected a string"])
    ]

    @Test(arguments: cases)
    func namesFileLineAndKey(_ test: Case) {
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.parse(test.text, file: "themes/bad.toml") }
        #expect(error?.file == "themes/bad.toml")
        #expect(error?.line == test.line)
        #expect(error?.key == test.key)
        let description = error?.description ?? ""
        #expect(description.hasPrefix("themes/bad.toml:\(test.line): \(test.key ?? "")"), "\(description)")
        for fragment in test.fragments {
            #expect(description.contains(fragment), "\(description) should mention \(fragment)")
        }
    }

    @Test func syntaxErrorNamesTheLine() {
        let text = "name = \"t\"\n[roles]\ntext = {}\nup = = 1\n"
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.parse(text, file: "broken.toml") }
        #expect(error?.line == 4)
        #expect(error?.column != nil)
        #expect(error?.description.hasPrefix("broken.toml:4:") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("invalid TOML") == true)
    }

    @Test func missingNameIsAnError() {
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.parse("[roles]\ntext = {}\n", file: "x.toml") }
        #expect(error?.key == "name")
        #expect(error?.description.contains("missing") == true)
    }

    @Test func firstProblemInFileOrderIsReported() {
        let text = "name = \"t\"\n[roles]\nup = { fg = \"nope\" }\ndown = { fg = \"alsonope\" }\n"
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.parse(text, file: "x.toml") }
        #expect(error?.key == "roles.up.fg")
        #expect(error?.line == 3)
    }

    @Test func descriptionLeavesOutWhatIsUnknown() {
        #expect(ThemeError(file: "a.toml", message: "m").description == "a.toml: m")
        #expect(ThemeError(file: "a.toml", line: 2, key: "roles.up", message: "m").description == "a.toml:2: roles.up: m")
        #expect(ThemeError(file: "a.toml", line: 2, column: 5, message: "m").description == "a.toml:2:5: m")
    }
}
