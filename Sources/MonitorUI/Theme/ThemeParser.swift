import Collector
import TOMLKit

/// Reads a parsed theme document into a `Theme`, reporting the first problem (in file
/// order) as a `ThemeError` with the file, line and dotted key.
struct ThemeParser {
    static let topLevelKeys = ["name", "description", "roles"]
    static let styleKeys = ["fg", "bg", "bold", "dim", "reverse", "underline"]

    let file: String
    let locator: TOMLKeyLocator

    init(file: String, text: String) {
        self.file = file
        locator = TOMLKeyLocator(text: text)
    }

    func theme(from root: TOMLTable) throws(ThemeError) -> Theme {
        var name: String?
        var description = ""
        var styles: [CellRole: CellStyle] = [:]
        for (key, value) in entries(of: root, at: []) {
            switch key {
            case "name":
                name = try string(value, at: ["name"])
                if name?.isEmpty == true { throw error(at: ["name"], "must not be empty") }
            case "description":
                description = try string(value, at: ["description"])
            case "roles":
                styles = try roles(value)
            default:
                throw error(at: [key], "unknown key (expected \(Self.list(Self.topLevelKeys)))")
            }
        }
        guard let name else { throw error(at: ["name"], "missing (every theme needs name = \"...\")") }
        return Theme(name: name, description: description, styles: styles)
    }

    private func roles(_ value: any TOMLValueConvertible) throws(ThemeError) -> [CellRole: CellStyle] {
        guard let table = value.table else {
            throw error(at: ["roles"], "expected a table of roles, got \(value.type.readableName)")
        }
        let rolesByKey = Dictionary(uniqueKeysWithValues: CellRole.allCases.map { ($0.themeKey, $0) })
        var styles: [CellRole: CellStyle] = [:]
        for (key, roleValue) in entries(of: table, at: ["roles"]) {
            guard let role = rolesByKey[key] else {
                throw error(at: ["roles", key], "unknown role (expected \(Self.list(CellRole.allCases.map(\.themeKey))))")
            }
            styles[role] = try style(roleValue, at: ["roles", key])
        }
        return styles
    }

    private func style(_ value: any TOMLValueConvertible, at path: [String]) throws(ThemeError) -> CellStyle {
        guard let table = value.table else {
            throw error(at: path, "expected a table such as { fg = \"green\", bold = true }, got \(value.type.readableName)")
        }
        var style = CellStyle()
        for (key, field) in entries(of: table, at: path) {
            let fieldPath = path + [key]
            switch key {
            case "fg": style.foreground = try color(field, at: fieldPath)
            case "bg": style.background = try color(field, at: fieldPath)
            case "bold": style.bold = try bool(field, at: fieldPath)
            case "dim": style.dim = try bool(field, at: fieldPath)
            case "reverse": style.reverse = try bool(field, at: fieldPath)
            case "underline": style.underline = try bool(field, at: fieldPath)
            default: throw error(at: fieldPath, "unknown key (expected \(Self.list(Self.styleKeys)))")
            }
        }
        return style
    }

    private func color(_ value: any TOMLValueConvertible, at path: [String]) throws(ThemeError) -> ThemeColor {
        let expected = "a colour name, an index 0...255 or \"#rrggbb\""
        switch value.type {
        case .int:
            let index = value.int ?? -1
            guard let color = ThemeColor(index: index) else {
                throw error(at: path, "colour index \(index) is out of range (expected 0...255)")
            }
            return color
        case .string:
            let text = value.string ?? ""
            if text.hasPrefix("#") {
                guard let color = ThemeColor(hex: text) else {
                    throw error(at: path, "\"\(text)\" is not a colour (expected \"#rrggbb\" with six hex digits)")
                }
                return color
            }
            guard let color = ThemeColor(name: text) else {
                let hint = Int(text) != nil ? "; write an index as a number, without quotes" : ""
                throw error(
                    at: path,
                    "unknown colour \"\(text)\" (expected \(ThemeColor.names.joined(separator: ", ")), an index 0...255 or \"#rrggbb\"\(hint))"
                )
            }
            return color
        default:
            throw error(at: path, "expected \(expected), got \(value.type.readableName)")
        }
    }

    private func bool(_ value: any TOMLValueConvertible, at path: [String]) throws(ThemeError) -> Bool {
        guard value.type == .bool, let flag = value.bool else {
            throw error(at: path, "expected true or false, got \(value.type.readableName)")
        }
        return flag
    }

    private func string(_ value: any TOMLValueConvertible, at path: [String]) throws(ThemeError) -> String {
        guard value.type == .string, let text = value.string else {
            throw error(at: path, "expected a string, got \(value.type.readableName)")
        }
        return text
    }

    /// The table's entries in file order, so the first problem reported is the first in the file.
    private func entries(of table: TOMLTable, at path: [String]) -> [(String, any TOMLValueConvertible)] {
        let lines = Dictionary(uniqueKeysWithValues: table.keys.map { ($0, locator.exactLine(of: path + [$0]) ?? Int.max) })
        return table.keys
            .sorted { (lines[$0] ?? Int.max, $0) < (lines[$1] ?? Int.max, $1) }
            .compactMap { key in table[key].map { (key, $0) } }
    }

    private func error(at path: [String], _ message: String) -> ThemeError {
        ThemeError(file: file, line: locator.line(of: path), key: path.joined(separator: "."), message: message)
    }

    private static func list(_ names: [String]) -> String {
        names.joined(separator: ", ")
    }
}
