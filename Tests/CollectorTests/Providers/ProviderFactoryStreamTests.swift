import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Provider factory: live streams")
struct ProviderFactoryStreamTests {
    static let alpacaKeys = ["APCA_API_KEY_ID": "PKFACTORYKEY0001", "APCA_API_SECRET_KEY": "factorySECRET0001"]
    static let finnhubKey = "fhFACTORYtoken0001"

    /// The stream setups of the configuration's first source.
    static func streams(_ toml: String, environment: [String: String], symbols: [String]) throws -> [StreamSetup] {
        let clock = ManualClock()
        let factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: clock), clock: clock, timeSource: clock,
            logger: .quiet(), environment: environment)
        let source = try #require(try ConfigLoader.parse(toml, file: "test.toml").sources.first)
        return factory.streams(for: source, symbols: symbols.map(F.symbol))
    }

    @Test func alpacaHasAStockAndACryptoStreamEachServingItsOwnMarket() throws {
        let streams = try Self.streams("[sources.alpaca]\n", environment: Self.alpacaKeys, symbols: ["AAPL", "BTC-USD", "^GSPC"])
        #expect(streams.map(\.name) == ["live-alpaca", "live-alpaca-crypto"])
        #expect(streams.map(\.market) == [.stocks, .crypto])
        #expect(
            streams.map(\.shownURL) == [
                "wss://stream.data.alpaca.markets/v2/iex", "wss://stream.data.alpaca.markets/v1beta3/crypto/us"
            ])
        #expect(streams.allSatisfy { $0.offReason == nil })
        let (stocks, crypto) = (try #require(streams[0].provider), try #require(streams[1].provider))
        #expect(stocks.serves(F.symbol("AAPL")) && !stocks.serves(F.symbol("BTC-USD")) && !stocks.serves(F.symbol("^GSPC")))
        #expect(crypto.serves(F.symbol("BTC-USD")) && !crypto.serves(F.symbol("AAPL")))
    }

    @Test func theCryptoStreamServesCryptoWhateverItsURLSays() throws {
        let toml = "[sources.alpaca]\nstream_url = \"ws://127.0.0.1:9/stocks\"\ncrypto_stream_url = \"ws://127.0.0.1:9/other\"\n"
        let streams = try Self.streams(toml, environment: Self.alpacaKeys, symbols: ["ETH-USD"])
        #expect(streams.map(\.offReason) == ["no stocks in the watchlist", nil])
        #expect(streams.last?.provider?.url == "ws://127.0.0.1:9/other")
        #expect(streams.last?.provider?.serves(F.symbol("ETH-USD")) == true)
    }

    @Test(arguments: [
        (
            "[sources.alpaca]\nstream = false\n", alpacaKeys, ["AAPL", "BTC-USD"],
            ["stream = false in the configuration", "stream = false in the configuration"]
        ),
        (
            "[sources.alpaca]\n", ["APCA_API_KEY_ID": "PKFACTORYKEY0001"], ["AAPL", "BTC-USD"],
            ["no key: set APCA_API_SECRET_KEY in the environment", "no key: set APCA_API_SECRET_KEY in the environment"]
        ),
        ("[sources.alpaca]\n", alpacaKeys, ["AAPL", "EURUSD=X"], [nil, "no crypto pairs in the watchlist"]),
        ("[sources.polygon]\n", [:], ["AAPL"], ["no key: set POLYGON_API_KEY in the environment"]),
        ("[sources.polygon]\n", ["POLYGON_API_KEY": "polyFACTORY0001"], ["BTC-USD"], ["no stocks in the watchlist"]),
        (
            "[sources.finnhub]\nstream = false\n", ["FINNHUB_API_KEY": finnhubKey], ["AAPL"],
            ["stream = false in the configuration"]
        )
    ])
    func aStreamThatDoesNotRunSaysWhyAndHasNothingToDial(
        toml: String, environment: [String: String], symbols: [String], reasons: [String?]
    ) throws {
        let streams = try Self.streams(toml, environment: environment, symbols: symbols)
        #expect(streams.map(\.offReason) == reasons)
        #expect(streams.map { $0.provider == nil } == reasons.map { $0 != nil })
    }

    @Test func finnhubsTokenIsOnlyEverShownMasked() throws {
        let streams = try Self.streams(
            "[sources.finnhub]\n", environment: ["FINNHUB_API_KEY": Self.finnhubKey], symbols: ["AAPL"])
        #expect(streams.map(\.name) == ["live-finnhub"])
        #expect(streams.first?.shownURL == "wss://ws.finnhub.io/?token=***")
        #expect(streams.first?.provider?.url.contains(Self.finnhubKey) == true, "the dialled URL carries it")
        let withoutKey = try Self.streams("[sources.finnhub]\n", environment: [:], symbols: ["AAPL"])
        #expect(withoutKey.first?.shownURL == "wss://ws.finnhub.io")
    }

    @Test func polygonStreamsStocksFromItsDefaultURL() throws {
        let streams = try Self.streams(
            "[sources.polygon]\n", environment: ["POLYGON_API_KEY": "polyFACTORY0001"], symbols: ["AAPL"])
        #expect(streams.map(\.name) == ["live-polygon"])
        #expect(streams.first?.provider?.url == "wss://socket.massive.com/stocks")
        #expect(streams.first?.provider?.authenticationFrame() == #"{"action":"auth","params":"polyFACTORY0001"}"#)
    }

    /// The simulated market and a replay push from within the process: one stream of all their
    /// symbols, described like every other kind's (it was a capability only they held).
    @Test(arguments: ["[sources.sim]\n", "[sources.tape]\nkind = \"replay\"\npath = \"tape.jsonl\"\n"])
    func inProcessSourcesHaveOneStreamThatAlwaysRuns(toml: String) throws {
        let streams = try Self.streams(toml, environment: [:], symbols: ["AAPL", "BTC-USD"])
        #expect(streams.count == 1)
        let stream = try #require(streams.first)
        #expect(stream.isInProcess && stream.runs && stream.provider == nil && stream.offReason == nil)
        #expect(stream.market == .all && stream.shownURL == "in process")
        #expect(stream.name.hasPrefix("stream-"))
    }

    @Test func disabledSourcesAndKindsWithoutAStreamHaveNone() throws {
        let toml = "[sources.alpaca]\nenabled = false\n[sources.sim]\n"
        #expect(try Self.streams(toml, environment: Self.alpacaKeys, symbols: ["AAPL"]).isEmpty)
        #expect(
            try Self.streams("[sources.sim]\nenabled = false\n[sources.yahoo]\n", environment: [:], symbols: ["AAPL"]).isEmpty)
        #expect(try Self.streams("[sources.yahoo]\n", environment: [:], symbols: ["AAPL"]).isEmpty)
    }
}
