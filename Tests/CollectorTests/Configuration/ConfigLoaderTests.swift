import CollectorTestSupport
import Foundation
import Testing

@testable import Collector

/// `ConfigLoader.load` against real files in a scratch directory.
extension ConfigurationTests {
    @Suite struct ConfigLoaderTests {
        /// Removed when the test's suite instance goes away.
        let directory: TemporaryDirectory
        let home: String

        init() throws {
            directory = try TemporaryDirectory(prefix: "ticktop-config")
            home = directory.url.path
        }

        private func write(_ text: String, to relative: String) throws -> String {
            let path = home + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test func missingDefaultFileMeansDefaults() throws {
            let loaded = try ConfigLoader.load(explicitPath: nil, environment: ["HOME": home])
            #expect(loaded == LoadedConfiguration(configuration: .defaults, path: nil))
        }

        @Test func missingExplicitFileIsAnError() throws {
            let missing = home + "/nope.toml"
            let error = try #require(throws: ConfigError.self) {
                try ConfigLoader.load(explicitPath: missing, environment: ["HOME": home])
            }
            #expect(error.kind == .fileNotFound)
            #expect(error.description.hasPrefix(missing + ": "))
            #expect(error.description.contains("not found"))
        }

        @Test func readsXDGConfigHomeBeforeHome() throws {
            _ = try write("[store]\nbatch_size = 1\n", to: ".config/ticktop/config.toml")
            let xdg = try write("[store]\nbatch_size = 2\n", to: "xdg/ticktop/config.toml")
            let loaded = try ConfigLoader.load(explicitPath: nil, environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/xdg"])
            #expect(loaded.path == xdg)
            #expect(loaded.configuration.store.batchSize == 2)
            let fallback = try ConfigLoader.load(explicitPath: nil, environment: ["HOME": home])
            #expect(fallback.configuration.store.batchSize == 1)
        }

        @Test func explicitPathWinsAndExpandsTilde() throws {
            let path = try write(
                "[general]\nstale_after = \"5s\"\nlog_file = \"~/t.log\"\n[store]\npath = \"~/db.sqlite\"\n[sources.tape]\nkind = \"replay\"\npath = \"~/tape.jsonl\"\n",
                to: "custom.toml")
            let loaded = try ConfigLoader.load(explicitPath: "~/custom.toml", environment: ["HOME": home])
            #expect(loaded.path == path)
            #expect(loaded.configuration.general.staleAfter == .seconds(5))
            #expect(loaded.configuration.general.logFile == home + "/t.log")
            #expect(loaded.configuration.store.path == home + "/db.sqlite")
            #expect(loaded.configuration.sources.first?.replayPath == home + "/tape.jsonl")
        }

        @Test func errorsNameTheFileRead() throws {
            let path = try write("[store]\n\nbatch_size = true\n", to: ".config/ticktop/config.toml")
            let error = try #require(throws: ConfigError.self) {
                try ConfigLoader.load(explicitPath: nil, environment: ["HOME": home])
            }
            #expect(error.description.hasPrefix("\(path):3: store.batch_size: "))
        }

        @Test func directoryIsUnreadable() throws {
            try FileManager.default.createDirectory(atPath: home + "/dir.toml", withIntermediateDirectories: true)
            let error = try #require(throws: ConfigError.self) {
                try ConfigLoader.load(explicitPath: home + "/dir.toml", environment: ["HOME": home])
            }
            #expect(error.kind == .unreadable)
        }

        @Test func nonUTF8IsUnreadable() throws {
            let path = home + "/latin1.toml"
            try Data([0x5B, 0x67, 0xFF, 0x5D]).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: ConfigError.self) {
                try ConfigLoader.load(explicitPath: path, environment: ["HOME": home])
            }
            #expect(error.kind == .unreadable && error.description.contains("UTF-8"))
        }
    }
}
