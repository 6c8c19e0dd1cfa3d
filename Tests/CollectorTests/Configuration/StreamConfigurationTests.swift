import Testing

@testable import Collector

extension ConfigurationTests {
    @Suite struct StreamConfigurationTests {
        static let file = "/home/u/.config/ticktop/config.toml"

        @Test func streamKeysAreReadForKindsWithAStream() throws {
            let text = """
                [sources.alpaca]
                stream = false
                stale_stream_after = "45s"

                [sources.alpaca2]
                kind = "alpaca"
                """
            let config = try ConfigLoader.parse(text, file: Self.file)
            let byID = Dictionary(uniqueKeysWithValues: config.sources.map { ($0.id.rawValue, $0) })
            #expect(byID["alpaca"]?.streamEnabled == false)
            #expect(byID["alpaca"]?.staleStreamAfter == .seconds(45))
            #expect(byID["alpaca2"]?.streamEnabled == true, "on by default")
            #expect(byID["alpaca2"]?.staleStreamAfter == .seconds(30))
        }

        @Test func alpacaHasACryptoStreamURLOfItsOwn() throws {
            let text = """
                [sources.alpaca]
                feed = "sip"

                [sources.local]
                kind = "alpaca"
                crypto_stream_url = "ws://127.0.0.1:9100/crypto/"
                """
            let config = try ConfigLoader.parse(text, file: Self.file)
            let byID = Dictionary(uniqueKeysWithValues: config.sources.map { ($0.id.rawValue, $0) })
            #expect(
                byID["alpaca"]?.cryptoStreamURL == "wss://stream.data.alpaca.markets/v1beta3/crypto/us", "not following the feed")
            #expect(byID["alpaca"]?.streamURL == "wss://stream.data.alpaca.markets/v2/sip")
            #expect(byID["local"]?.cryptoStreamURL == "ws://127.0.0.1:9100/crypto")
            #expect(config.tomlText.contains("crypto_stream_url = \"ws://127.0.0.1:9100/crypto\""))
            #expect(try ConfigLoader.parse("[sources.polygon]\n", file: Self.file).sources.first?.cryptoStreamURL == nil)
        }

        @Test(arguments: [
            (
                "[sources.alpaca]\nstale_stream_after = \"500ms\"\n", "config.toml:2:", "sources.alpaca.stale_stream_after",
                "at least 1s"
            ),
            ("[sources.alpaca]\nstream = \"yes\"\n", "config.toml:2:", "sources.alpaca.stream", "expected true or false"),
            (
                "[sources.yahoo]\nstream = true\n", "config.toml:2:", "sources.yahoo.stream",
                "applies only to kind alpaca, polygon, finnhub"
            ),
            (
                "[sources.alpaca]\ncrypto_stream_url = \"https://x.example/crypto\"\n", "config.toml:2:",
                "sources.alpaca.crypto_stream_url",
                "expected a ws:// or wss:// URL"
            ),
            (
                "[sources.polygon]\ncrypto_stream_url = \"wss://x.example/crypto\"\n", "config.toml:2:",
                "sources.polygon.crypto_stream_url",
                "applies only to kind alpaca, not to polygon"
            )
        ])
        func badStreamKeysNameFileLineAndKey(text: String, location: String, key: String, words: String) {
            let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(text, file: Self.file) }
            let description = error.map { String(describing: $0) } ?? ""
            #expect(description.contains(location), "\(description)")
            #expect(description.contains(key), "\(description)")
            #expect(description.contains(words), "\(description)")
        }
    }
}
