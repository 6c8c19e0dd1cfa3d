import CollectorTestSupport
import Testing

@testable import Collector

extension ConfigurationTests {
    /// `[store] ticks = true`: the tape, off by default; PostgreSQL does not keep one yet.
    @Suite struct TapeConfigTests {
        @Test func ticksIsOffByDefaultAndReadAndPrintedBack() throws {
            #expect(TicktopConfiguration.defaults.store.ticks == false)
            #expect(TicktopConfiguration.defaults.tomlText.contains("ticks = false"))
            let config = try ConfigLoader.parse("[store]\nticks = true\n", file: "in.toml")
            #expect(config.store.ticks)
            #expect(config.tomlText.contains("ticks = true"))
            #expect(try ConfigLoader.parse(config.tomlText, file: "printed.toml") == config)
        }

        static let refused: [(String, String)] = [
            ("[store]\nkind = \"postgres\"\nurl_env = \"PG\"\nticks = true\n", "ticks are not supported on PostgreSQL yet"),
            ("[store]\nkind = \"postgres\"\nurl_env = \"PG\"\n\nticks = \"yes\"\n", "")
        ]

        /// The message names the file, the line of `ticks` and the key.
        @Test(arguments: refused)
        func aBadTicksSettingNamesItsLine(text: String, expected: String) {
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("ticks") }! + 1
            #expect {
                try ConfigLoader.parse(text, file: "in.toml")
            } throws: { error in
                let message = String(describing: error)
                return message.hasPrefix("in.toml:\(line)") && message.contains("store.ticks") && message.contains(expected)
            }
        }

        @Test func theRuntimeRecordsTheTapeOnlyWhenAsked() throws {
            var configuration = TicktopConfiguration.defaults
            configuration.store.kind = .memory
            func runtime() throws -> CollectorRuntime {
                try CollectorRuntime(
                    configuration: configuration, symbols: [], databasePath: nil, faults: [:], clock: ContinuousClock(),
                    timeSource: SystemTimeSource(), environment: [:], logger: .quiet())
            }
            #expect(try runtime().tape == nil)
            configuration.store.ticks = true
            #expect(try runtime().tape != nil)
        }
    }
}
