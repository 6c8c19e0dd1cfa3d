import Testing

@testable import Collector

extension ConfigurationTests {
    @Suite struct ConfigurationPrintingTests {
        @Test(arguments: [
            ("defaults", ""),
            ("full file", ConfigParsingTests.fullFile),
            (
                "odd names",
                "[watchlists]\n\"my list\" = [\"AAPL\"]\n[sources.sim]\nfaults = [\"quote:\\\"x\\\\y\", \"tab\\there\"]\n"
            )
        ])
        func printedConfigurationReadsBackUnchanged(name: String, text: String) throws {
            let config = try ConfigLoader.parse(text, file: "in.toml")
            let printed = config.tomlText
            #expect(try ConfigLoader.parse(printed, file: "printed.toml") == config, "\(printed)")
        }

        @Test func printsDefaultsInShortForm() {
            let printed = TicktopConfiguration.defaults.tomlText
            #expect(printed.hasPrefix("[general]\nwatchlist = \"default\"\nstale_after = \"1m\"\n"))
            #expect(printed.contains("flush_interval = \"1s\""))
            #expect(
                printed.contains(
                    "[sources.sim]\nkind = \"simulated\"\nenabled = true\npriority = 100\nseed = 42\ntick_interval = \"250ms\"\nfaults = []"
                ))
            #expect(!printed.contains("base_url"))
        }

        @Test func printsEnvironmentVariableNamesNotValues() throws {
            let config = try ConfigLoader.parse("[sources.alpaca]\n", file: "in.toml")
            let printed = config.tomlText
            #expect(printed.contains("key_env = \"APCA_API_KEY_ID\"\nsecret_env = \"APCA_API_SECRET_KEY\""))
            #expect(printed.contains("stream_url = \"wss://stream.data.alpaca.markets/v2/iex\""))
        }
    }
}
