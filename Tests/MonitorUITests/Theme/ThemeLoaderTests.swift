import Foundation
import MonitorUI
import Testing

@Suite struct ThemeLoaderTests {
    /// A fresh temporary directory, removed by the caller.
    private static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ticktop-themes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private static func theme(named name: String, fg: String = "red") -> String {
        "name = \"\(name)\"\n[roles]\nup = { fg = \"\(fg)\" }\n"
    }

    @Test func loadsByNameFromTheFirstDirectoryHoldingIt() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.theme(named: "first", fg: "blue"), to: root + "/a/ocean.toml")
        try Self.write(Self.theme(named: "second", fg: "green"), to: root + "/b/ocean.toml")
        try Self.write(Self.theme(named: "solar"), to: root + "/b/solar.toml")
        let directories = [root + "/missing", root + "/a", root + "/b"]
        #expect(try ThemeLoader.load("ocean", searchDirectories: directories).name == "first")
        #expect(try ThemeLoader.load("solar", searchDirectories: directories).style(for: .up).foreground == .ansi(1))
        #expect(ThemeLoader.availableThemes(in: directories) == ["default", "ocean", "solar"])
    }

    @Test func defaultIsCompiledInWhenNoFileExists() throws {
        #expect(try ThemeLoader.load("default", searchDirectories: ["/nonexistent/ticktop-themes"]) == .builtInDefault)
        #expect(try ThemeLoader.load("default", searchDirectories: []) == .builtInDefault)
        #expect(ThemeLoader.availableThemes(in: []) == ["default"])
    }

    @Test func aDefaultFileOverridesTheCompiledInTheme() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.theme(named: "my default"), to: root + "/default.toml")
        #expect(try ThemeLoader.load("default", searchDirectories: [root]).name == "my default")
    }

    @Test func loadsAPath() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.theme(named: "by path"), to: root + "/x/custom.toml")
        #expect(try ThemeLoader.load(root + "/x/custom.toml", searchDirectories: []).name == "by path")
    }

    @Test func pathErrorsNameTheFile() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let missing = #expect(throws: ThemeError.self) { try ThemeLoader.load(root + "/none.toml", searchDirectories: [root]) }
        #expect(missing?.description == "\(root)/none.toml: theme file not found")
        try Self.write("name = \"b\"\n[roles]\nup = { fg = 999 }\n", to: root + "/broken.toml")
        let broken = #expect(throws: ThemeError.self) { try ThemeLoader.load("broken", searchDirectories: [root]) }
        #expect(broken?.description.hasPrefix("\(root)/broken.toml:3: roles.up.fg: ") == true, "\(broken?.description ?? "")")
    }

    @Test func unknownNameListsTheAvailableThemes() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.theme(named: "ocean"), to: root + "/ocean.toml")
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.load("oceans", searchDirectories: [root]) }
        #expect(error?.file == "oceans")
        #expect(error?.description.contains("available: default, ocean") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(root) == true)
    }

    @Test func searchDirectoriesInOrder() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = root + "/repo"
        try Self.write("// swift-tools-version:6.1\n", to: repository + "/Package.swift")
        try Self.write(Self.theme(named: "x"), to: repository + "/themes/x.toml")
        try Self.write("", to: repository + "/.build/x86_64-unknown-linux-gnu/debug/ticktop")
        let directories = ThemeLoader.searchDirectories(
            environment: ["XDG_CONFIG_HOME": root + "/config", "HOME": root + "/home"],
            executablePath: repository + "/.build/x86_64-unknown-linux-gnu/debug/ticktop",
            currentDirectory: root + "/work")
        #expect(directories == [root + "/config/ticktop/themes", root + "/work/themes", repository + "/themes"])
    }

    @Test func searchDirectoriesWithoutXDGOrRepository() {
        let directories = ThemeLoader.searchDirectories(
            environment: ["HOME": "/home/ann", "XDG_CONFIG_HOME": "relative/is/ignored"],
            executablePath: "/usr/local/bin/ticktop", currentDirectory: "/srv")
        #expect(directories == ["/home/ann/.config/ticktop/themes", "/srv/themes"])
    }

    @Test func repositoryFolderIsNotRepeated() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write("", to: root + "/Package.swift")
        try Self.write(Self.theme(named: "x"), to: root + "/themes/x.toml")
        let directories = ThemeLoader.searchDirectories(
            environment: ["HOME": "/home/ann"], executablePath: root + "/.build/debug/ticktop", currentDirectory: root)
        #expect(directories == ["/home/ann/.config/ticktop/themes", root + "/themes"])
    }

    @Test func repositorySearchStopsAfterFiveLevels() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write("", to: root + "/Package.swift")
        try Self.write(Self.theme(named: "x"), to: root + "/themes/x.toml")
        let deep = ThemeLoader.searchDirectories(
            environment: ["HOME": "/h"], executablePath: root + "/1/2/3/4/5/6/ticktop", currentDirectory: "/srv")
        #expect(deep == ["/h/.config/ticktop/themes", "/srv/themes"])
        let near = ThemeLoader.searchDirectories(
            environment: ["HOME": "/h"], executablePath: root + "/1/2/3/4/5/ticktop", currentDirectory: "/srv")
        #expect(near.last == root + "/themes")
    }
}
