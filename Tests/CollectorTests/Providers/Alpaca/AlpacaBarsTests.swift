import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@testable import Collector

@Suite("Alpaca history bars")
struct AlpacaBarsTests {
    typealias Kit = AlpacaTestKit

    /// Serves the three AAPL daily pages by `page_token`.
    static func dailyPages() async throws -> LoopbackHTTPServer {
        try await LoopbackHTTPServer.start { request in
            switch request.query("page_token") {
            case nil: Fixture.json("alpaca/bars-aapl-page1.json")
            case "fake-token-aapl-page-2"?: Fixture.json("alpaca/bars-aapl-page2.json")
            case "fake-token-aapl-page-3"?: Fixture.json("alpaca/bars-aapl-page3.json")
            default: .json(#"{"message":"unexpected page token"}"#, status: 422)
            }
        }
    }

    @Test func singleSymbolDailyBarsPageThroughEveryTokenAndLandOnTheirNewYorkDates() async throws {
        let server = try await Self.dailyPages()
        let source = Kit.source(server)
        let bars = try await source.historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.utc(2024, 3, 7)...Kit.utc(2024, 11, 4))
        await server.stop()

        // Winter (T05:00Z), summer after the March change (T04:00Z), the last summer
        // Friday and the first winter Monday after the November change; the duplicate
        // March 8 bar on page 2 counted once.
        #expect(
            bars.map(\.start) == [
                Kit.utc(2024, 3, 7), Kit.utc(2024, 3, 8), Kit.utc(2024, 3, 11), Kit.utc(2024, 3, 12),
                Kit.utc(2024, 11, 1), Kit.utc(2024, 11, 4)
            ])
        let first = try #require(bars.first)
        #expect(first.symbol == Kit.symbol("AAPL"))
        #expect(first.source == SourceID("alpaca"))
        #expect(first.timeframe == .oneDay)
        #expect(first.open == 169.15 && first.high == 170.73 && first.low == 168.49 && first.close == 169)
        #expect(first.volume == 71_765_061)
        #expect(first.tradeCount == 825_405)
        #expect(first.vwap == 169.4102)
        #expect(bars.last?.close == 222.01)

        let requests = server.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.path == "/v2/stocks/AAPL/bars" })
        #expect(
            requests.map { $0.query("page_token") } == [
                nil, "fake-token-aapl-page-2",
                "fake-token-aapl-page-3"
            ])
        let parameters = Kit.parameters(requests[0])
        #expect(parameters["timeframe"] == "1Day")
        #expect(parameters["start"] == "2024-03-07T00:00:00Z")
        // Daily bars are stamped hours after UTC midnight: the end reaches a day further.
        #expect(parameters["end"] == "2024-11-05T00:00:00Z")
        #expect(parameters["limit"] == "10000")
        #expect(parameters["adjustment"] == "raw")
        #expect(parameters["feed"] == "iex")
        #expect(parameters["sort"] == "asc")
        #expect(requests[0].query?.contains("start=2024-03-07T00%3A00%3A00Z") == true)
        // The same parameters on every page, plus the token.
        #expect(Kit.parameters(requests[2]).filter { $0.key != "page_token" } == parameters)
    }

    @Test func theKeyAndSecretGoInAlpacaHeadersAndNowhereElse() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json(Kit.emptySymbolBars) }
        let capture = LogCapture()
        let bars = try await Kit.source(server, capture: capture).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneMinute, in: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        await server.stop()
        #expect(bars.isEmpty)
        let request = try #require(server.requests.first)
        #expect(request.header("APCA-API-KEY-ID") == Kit.key)
        #expect(request.header("APCA-API-SECRET-KEY") == Kit.secret)
        #expect(request.query?.contains(Kit.key) == false)
        #expect(request.query?.contains(Kit.secret) == false)
        #expect(capture.text.contains("request"))
        #expect(!capture.text.contains(Kit.key))
        #expect(!capture.text.contains(Kit.secret))
    }

    @Test func feedAndAdjustmentComeFromTheConfigurationAndInit() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json(Kit.emptySymbolBars) }
        let source = Kit.source(server, feed: "sip", adjustment: .all)
        #expect(source.feed == "sip")
        #expect(source.adjustment == .all)
        _ = try await source.historyBars(
            for: Kit.symbol("BRK.B"), timeframe: .oneHour, in: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        await server.stop()
        let request = try #require(server.requests.first)
        #expect(request.path == "/v2/stocks/BRK.B/bars")
        #expect(request.query("feed") == "sip")
        #expect(request.query("adjustment") == "all")
        #expect(request.query("timeframe") == "1Hour")
    }

    @Test func theAdjustmentDefaultsToRaw() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json("{}") }
        let configuration = SourceConfiguration.defaults(id: "alpaca", kind: .alpaca)
        let source = AlpacaSource(
            configuration: configuration, client: Kit.plainClient(server), credentials: ProviderCredentials())
        await server.stop()
        #expect(source.adjustment == .raw)
        #expect(source.feed == "iex")
        #expect(source.capabilities == [.historyBars, .latestQuotes])
        #expect(source.quoteSymbolsPerRequest == 100)
        #expect(source.rateLimiter != nil)
    }

    @Test(arguments: Timeframe.allCases)
    func everyTimeframeIsAskedForByAlpacasName(timeframe: Timeframe) async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json(Kit.emptySymbolBars) }
        _ = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: timeframe, in: Kit.utc(2024, 1, 1)...Kit.utc(2024, 3, 1))
        await server.stop()
        let expected = [
            Timeframe.oneMinute: "1Min", .fiveMinutes: "5Min", .fifteenMinutes: "15Min", .thirtyMinutes: "30Min",
            .oneHour: "1Hour", .fourHours: "4Hour", .oneDay: "1Day", .oneWeek: "1Week", .oneMonth: "1Month"
        ]
        #expect(server.requests.first?.query("timeframe") == expected[timeframe])
    }

    @Test func intradayBarsKeepTheirInstantAndTheRangeIsClosed() async throws {
        let page = #"""
            {"bars": [
              {"t": "2024-03-05T14:29:00Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1},
              {"t": "2024-03-05T14:30:00Z", "o": 170.76, "h": 171.2, "l": 170.5, "c": 171.05, "v": 2034512, "n": 20511, "vw": 170.8844},
              {"t": "2024-03-05T14:31:00Z", "o": 171.05, "h": 171.3, "l": 170.9, "c": 171.12, "v": 1022871},
              {"t": "2024-03-05T14:32:00Z", "o": 2, "h": 2, "l": 2, "c": 2, "v": 2}
            ], "symbol": "AAPL", "next_page_token": null}
            """#
        let server = try await LoopbackHTTPServer.start { _ in .json(page) }
        let range = Kit.time("2024-03-05T14:30:00Z")...Kit.time("2024-03-05T14:31:00.25Z")
        let bars = try await Kit.source(server).historyBars(for: Kit.symbol("AAPL"), timeframe: .oneMinute, in: range)
        await server.stop()
        #expect(bars.map(\.start) == [Kit.time("2024-03-05T14:30:00Z"), Kit.time("2024-03-05T14:31:00Z")])
        #expect(bars[1].vwap == nil && bars[1].tradeCount == nil)
        // Whole seconds, the end rounded up so no bar in range is cut off.
        #expect(server.requests.first?.query("start") == "2024-03-05T14:30:00Z")
        #expect(server.requests.first?.query("end") == "2024-03-05T14:31:01Z")
    }

    @Test func multiSymbolBarsPageUntilTheTokenRunsOutAndMergePerSymbol() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            switch request.query("page_token") {
            case nil: Fixture.json("alpaca/bars-multi-page1.json")
            case "fake-token-multi-page-2"?: Fixture.json("alpaca/bars-multi-page2.json")
            case "fake-token-multi-page-3"?: Fixture.json("alpaca/bars-multi-page3.json")
            default: .json(#"{"message":"unexpected page token"}"#, status: 422)
            }
        }
        let symbols = ["AAPL", "MSFT", "TSLA", "^GSPC", "AAPL", "NODATA"].map(Kit.symbol)
        let range = Kit.time("2024-03-05T14:30:00Z")...Kit.time("2024-03-05T14:35:00Z")
        let bars = try await Kit.source(server).historyBars(for: symbols, timeframe: .fiveMinutes, in: range)
        await server.stop()

        #expect(Set(bars.keys) == Set(["AAPL", "MSFT", "TSLA", "NODATA"].map(Kit.symbol)))
        let at1430 = Kit.time("2024-03-05T14:30:00Z")
        let at1435 = Kit.time("2024-03-05T14:35:00Z")
        #expect(bars[Kit.symbol("AAPL")]?.map(\.start) == [at1430, at1435])
        #expect(bars[Kit.symbol("MSFT")]?.map(\.close) == [413.1, 412.9])
        #expect(bars[Kit.symbol("TSLA")]?.map(\.start) == [at1430, at1435])
        #expect(bars[Kit.symbol("TSLA")]?.last?.volume == 1_877_301)
        #expect(bars[Kit.symbol("NODATA")] == [])
        #expect(bars[Kit.symbol("AAPL")]?.allSatisfy { $0.timeframe == .fiveMinutes && $0.source == "alpaca" } == true)

        let requests = server.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.path == "/v2/stocks/bars" })
        #expect(requests.allSatisfy { $0.query("symbols") == "AAPL,MSFT,TSLA,NODATA" })
        #expect(requests[0].query?.contains("symbols=AAPL%2CMSFT%2CTSLA%2CNODATA") == true)
        #expect(
            requests.map { $0.query("page_token") } == [
                nil, "fake-token-multi-page-2", "fake-token-multi-page-3"
            ])
        #expect(requests.allSatisfy { $0.query("feed") == "iex" && $0.query("limit") == "10000" })
        #expect(requests.allSatisfy { $0.header("APCA-API-KEY-ID") == Kit.key })
    }

    @Test func multiSymbolBarsLeaveOutASymbolAlpacaCallsInvalidAndFetchTheRest() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.query("symbols")?.contains("ACP.PA") == true
                ? Fixture.json("alpaca/error-422-invalid-symbol.json", status: 422)
                : .json(
                    #"{"bars": {"AAPL": [{"t": "2024-03-05T05:00:00Z", "o": 1, "h": 2, "l": 0.5, "c": 1.5, "v": 10}]}, "next_page_token": null}"#
                )
        }
        let bars = try await Kit.source(server).historyBars(
            for: [Kit.symbol("AAPL"), Kit.symbol("ACP.PA")], timeframe: .oneDay,
            in: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 5))
        await server.stop()
        #expect(Array(bars.keys) == [Kit.symbol("AAPL")])
        #expect(bars[Kit.symbol("AAPL")]?.first?.start == Kit.utc(2024, 3, 5))
        #expect(server.requests.map { $0.query("symbols") } == ["AAPL,ACP.PA", "AAPL"])
    }

    @Test func stocksAndCryptoGoToTheirOwnEndpoints() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.path.hasPrefix("/v1beta3")
                ? Fixture.json("alpaca/crypto-bars-1hour.json") : .json(#"{"bars": {}, "next_page_token": null}"#)
        }
        let bars = try await Kit.source(server).historyBars(
            for: [Kit.symbol("AAPL"), Kit.symbol("BTC-USD")], timeframe: .oneHour,
            in: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        await server.stop()
        #expect(bars[Kit.symbol("AAPL")] == [])
        #expect(bars[Kit.symbol("BTC-USD")]?.count == 2)
        let paths = server.requests.map(\.path)
        #expect(paths == ["/v2/stocks/bars", "/v1beta3/crypto/us/bars"])
        let crypto = server.requests[1]
        #expect(crypto.query("symbols") == "BTC/USD")
        #expect(crypto.query?.contains("symbols=BTC%2FUSD") == true)
        #expect(crypto.query("feed") == nil && crypto.query("adjustment") == nil)
        #expect(crypto.query("sort") == "asc" && crypto.query("limit") == "10000")
    }

    @Test func cryptoBarsHaveFractionalVolumes() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/crypto-bars-1hour.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("btc/usd"), timeframe: .oneHour, in: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        await server.stop()
        #expect(bars.map(\.start) == [Kit.time("2024-03-05T14:00:00Z"), Kit.time("2024-03-05T15:00:00Z")])
        #expect(bars.map(\.volume) == [12.345678912, 0.01542])
        #expect(bars[0].symbol == Kit.symbol("BTC-USD"))
        #expect(bars[0].close == 67388)
        #expect(server.requests.first?.path == "/v1beta3/crypto/us/bars")
        #expect(server.requests.first?.query("symbols") == "BTC/USD")
    }

    @Test func cryptoDailyBarsAcrossBothDaylightSavingChangesLandOnTheirDates() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/crypto-bars-daily.json") }
        let bars = try await Kit.source(server).historyBars(
            for: [Kit.symbol("BTC-USD"), Kit.symbol("ETH-USD")], timeframe: .oneDay,
            in: Kit.utc(2024, 3, 10)...Kit.utc(2024, 11, 4))
        await server.stop()
        // 03-10 is still winter at New York midnight (T05:00Z), 03-11 summer (T04:00Z);
        // 11-03 is still summer at midnight (T04:00Z), 11-04 winter (T05:00Z).
        #expect(
            bars[Kit.symbol("BTC-USD")]?.map(\.start) == [
                Kit.utc(2024, 3, 10), Kit.utc(2024, 3, 11), Kit.utc(2024, 11, 3), Kit.utc(2024, 11, 4)
            ])
        // A stamp already at UTC midnight is that date, not the evening before in New York.
        #expect(bars[Kit.symbol("ETH-USD")]?.map(\.start) == [Kit.utc(2024, 3, 10)])
        #expect(bars[Kit.symbol("ETH-USD")]?.first?.volume == 10234.125)
    }

    @Test func indicesAndFXAreUnknownToAlpacaWithoutARequest() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json(Kit.emptySymbolBars) }
        let source = Kit.source(server)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await source.historyBars(
                for: Kit.symbol("^GSPC"), timeframe: .oneDay, in: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        }
        let none = try await source.historyBars(
            for: [Kit.symbol("EURUSD=X")], timeframe: .oneDay, in: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        await server.stop()
        #expect(error?.kind == .notFound)
        #expect(error?.symbol == Kit.symbol("^GSPC"))
        #expect(error?.isSymbolSpecific == true)
        #expect(none.isEmpty)
        #expect(server.requests.isEmpty)
    }
}
