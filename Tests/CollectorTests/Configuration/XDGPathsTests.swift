import Testing

@testable import Collector

extension ConfigurationTests {
    @Suite struct XDGPathsTests {
        @Test func fallsBackToHomeDirectories() {
            let paths = XDGPaths(environment: ["HOME": "/home/u"])
            #expect(paths.configFile == "/home/u/.config/ticktop/config.toml")
            #expect(paths.dataDirectory == "/home/u/.local/share/ticktop")
            #expect(paths.defaultDatabasePath == "/home/u/.local/share/ticktop/ticktop.sqlite")
            #expect(paths.stateDirectory == "/home/u/.local/state/ticktop")
            #expect(paths.defaultLogPath == "/home/u/.local/state/ticktop/ticktop.log")
        }

        @Test func honoursXDGVariables() {
            let paths = XDGPaths(environment: [
                "HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_HOME": "/data/", "XDG_STATE_HOME": "/state"
            ])
            #expect(paths.configFile == "/cfg/ticktop/config.toml")
            #expect(paths.defaultDatabasePath == "/data/ticktop/ticktop.sqlite")
            #expect(paths.defaultLogPath == "/state/ticktop/ticktop.log")
        }

        @Test func ignoresRelativeAndEmptyXDGVariables() {
            let paths = XDGPaths(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "relative/cfg", "XDG_DATA_HOME": ""])
            #expect(paths.configFile == "/home/u/.config/ticktop/config.toml")
            #expect(paths.dataDirectory == "/home/u/.local/share/ticktop")
        }

        @Test(arguments: [
            ("~", "/home/u"), ("~/x/db.sqlite", "/home/u/x/db.sqlite"), ("/abs/x", "/abs/x"),
            ("rel/x", "rel/x"), ("~other/x", "~other/x")
        ])
        func expandsTilde(path: String, expected: String) {
            #expect(XDGPaths(environment: ["HOME": "/home/u"]).expandingTilde(path) == expected)
        }

        @Test func resolvesStoreAndLogPaths() {
            let paths = XDGPaths(environment: ["HOME": "/home/u"])
            #expect(paths.databasePath(for: .defaults) == "/home/u/.local/share/ticktop/ticktop.sqlite")
            #expect(paths.databasePath(for: StoreConfiguration(path: "~/db.sqlite")) == "/home/u/db.sqlite")
            #expect(paths.logPath(for: GeneralConfiguration(logFile: "/tmp/t.log")) == "/tmp/t.log")
            #expect(paths.logPath(for: .defaults) == "/home/u/.local/state/ticktop/ticktop.log")
        }
    }
}
