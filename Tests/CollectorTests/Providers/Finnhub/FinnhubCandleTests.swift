import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@Suite("Finnhub candles")
struct FinnhubCandleTests {
    typealias Kit = FinnhubTestKit

    @Test func dailyCandlesAreMappedAndTheRequestIsTheDocumentedOne() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/candles-daily.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.range("2024-03-04", "2024-03-05"))
        await server.stop()

        // Finnhub stamps daily candles at the UTC midnight of their date (never the evening before in New York).
        #expect(bars.map(\.start) == [Timestamp(rfc3339: "2024-03-04")!, Timestamp(rfc3339: "2024-03-05")!])
        #expect(bars[0].open == 176.15 && bars[0].high == 176.9 && bars[0].low == 173.79 && bars[0].close == 175.1)
        #expect(bars[0].volume == 81_510_101)
        #expect(bars[1].close == 170.12 && bars[1].volume == 95_132_355)
        #expect(
            bars.allSatisfy { $0.timeframe == .oneDay && $0.source == SourceID("finnhub") && $0.symbol == Kit.symbol("AAPL") })

        let request = try #require(server.requests.first)
        #expect(request.path == "/api/v1/stock/candle")
        #expect(request.query("symbol") == "AAPL")
        #expect(request.query("resolution") == "D")
        #expect(request.query("from") == Kit.seconds("2024-03-02"))
        #expect(request.query("to") == Kit.seconds("2024-03-07"))
        #expect(request.header("X-Finnhub-Token") == Kit.key)
        #expect(request.query("token") == nil)
    }

    @Test func dailyCandlesStampedAtANewYorkTimeTakeTheirNewYorkDate() async throws {
        // 16:00 EST close and 00:00 EST (05:00Z) midnight stamps both name 2024-03-04.
        let body = #"{"s":"ok","t":[1709586000,1709618400],"o":[1,2],"h":[1,2],"l":[1,2],"c":[1,2],"v":[10,20]}"#
        let server = try await LoopbackHTTPServer.start { _ in .json(body) }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.range("2024-03-04", "2024-03-05"))
        await server.stop()
        #expect(bars.map(\.start) == [Timestamp(rfc3339: "2024-03-04")!, Timestamp(rfc3339: "2024-03-05")!])
        #expect(Timestamp(seconds: 1_709_586_000).newYorkTradingDay == Timestamp(rfc3339: "2024-03-04"))
    }

    @Test func intradayCandlesKeepTheirInstantsAcrossTheDaylightSavingChangeAndSkipNulls() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/candles-5m.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .fiveMinutes, in: Kit.range("2024-03-08T15:00:00Z", "2024-03-11T13:30:00Z"))
        await server.stop()
        #expect(bars.map(\.start) == [1_709_910_000, 1_709_910_300, 1_710_163_800].map { Timestamp(seconds: $0) })
        #expect(bars[2].open == 172.94 && bars[2].close == 172.7 && bars[2].volume == 1_101_022)
        #expect(!bars.contains { $0.close == 0 })
        let request = try #require(server.requests.first)
        #expect(request.query("resolution") == "5")
        #expect(request.query("from") == "1709910000")
        #expect(request.query("to") == "1710164100")
    }

    @Test func fourHourBarsAreBuiltFromHourlyCandles() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/candles-60.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .fourHours, in: Kit.range("2024-03-11T12:00:00Z", "2024-03-11T16:00:00Z"))
        await server.stop()
        #expect(server.requests.first?.query("resolution") == "60")
        #expect(bars.map(\.start) == [Timestamp(rfc3339: "2024-03-11T12:00:00Z")!, Timestamp(rfc3339: "2024-03-11T16:00:00Z")!])
        #expect(bars[0].open == 172.94 && bars[0].high == 174.38 && bars[0].close == 172.8 && bars[0].volume == 29_000_000)
        #expect(bars[1].low == 172.3 && bars[1].close == 172.75 && bars[1].volume == 31_139_500)
        #expect(bars.allSatisfy { $0.timeframe == .fourHours })
    }

    @Test(arguments: [
        (Timeframe.oneMinute, "1"), (.fifteenMinutes, "15"), (.thirtyMinutes, "30"), (.oneHour, "60"), (.oneWeek, "W"),
        (.oneMonth, "M")
    ])
    func mapsTimeframesToResolutions(timeframe: Timeframe, resolution: String) async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/candles-no-data.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: timeframe, in: Kit.range("2024-03-04", "2024-03-05"))
        await server.stop()
        #expect(bars.isEmpty)
        #expect(server.requests.first?.query("resolution") == resolution)
    }

    @Test func weeklyCandlesStartOnMondayEvenWhenStampedOnSunday() async throws {
        // 2024-03-03 (Sunday) and 2024-03-11 (Monday), both at UTC midnight.
        let body = #"{"s":"ok","t":[1709424000,1710115200],"o":[1,2],"h":[1,2],"l":[1,2],"c":[1,2],"v":[10,20]}"#
        let server = try await LoopbackHTTPServer.start { _ in .json(body) }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneWeek, in: Kit.range("2024-03-01", "2024-03-15"))
        await server.stop()
        #expect(bars.map(\.start) == [Timestamp(rfc3339: "2024-03-04")!, Timestamp(rfc3339: "2024-03-11")!])
    }

    @Test func noDataIsAnEmptyResultNotAnError() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/candles-no-data.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("ZZZZQ"), timeframe: .oneDay, in: Kit.range("2024-03-04", "2024-03-05"))
        await server.stop()
        #expect(bars.isEmpty)
    }

    /// Free keys are never entitled to candles: a later start does not spend a request per symbol on it.
    @Test func candlesRefusedToTheKeyAreNotAskedAgainOnTheNextStart() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/error-no-access.json", status: 403) }
        let store = InMemoryStore()
        let clock = ManualClock()
        let account = SourceConfiguration.defaults(id: "finnhub", kind: .finnhub).rateLimitAccount
        func run() -> FinnhubSource {
            let configuration = SourceConfiguration.defaults(id: "finnhub", kind: .finnhub)
            let credentials = ProviderCredentials(key: Kit.key)
            let limiter = RateLimiter(
                limit: RateLimit(requests: 100, per: .seconds(60)), clock: clock, timeSource: clock, account: account,
                ledger: store)
            let client = ProviderClient(
                id: configuration.id, baseURL: server.baseURL + "/api/v1", transport: AsyncHTTPTransport(),
                limiter: limiter, secrets: credentials.secrets, timeSource: clock, logger: LogCapture().logger(),
                jitter: { $0 })
            return FinnhubSource(configuration: configuration, client: client, credentials: credentials)
        }
        let range = Kit.range("2024-03-04", "2024-03-05")
        await #expect(throws: ProviderError.self) {
            _ = try await run().historyBars(for: Kit.symbol("AAPL"), timeframe: .oneDay, in: range)
        }
        let again = await #expect(throws: ProviderError.self) {
            _ = try await run().historyBars(for: Kit.symbol("MSFT"), timeframe: .oneDay, in: range)
        }
        await server.stop()
        #expect(server.requests.count == 1, "the refusal holds for every symbol and for the next start")
        #expect(again?.kind == .notEntitled)
        #expect(again?.message.contains("You don't have access to this resource.") == true)
        #expect(again?.message.contains("not asked again before") == true)
        #expect(!String(describing: again).contains(Kit.key))
    }

    @Test func aFreeKeyIsNotEntitledToCandles() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/error-no-access.json", status: 403) }
        let capture = LogCapture()
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server, capture: capture).historyBars(
                for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.range("2024-03-04", "2024-03-05"))
        }
        await server.stop()
        let e = try #require(error)
        #expect(e.kind == .notEntitled)
        #expect(e.status == 403)
        #expect(e.healthState == .down)
        #expect(e.endpoint == "/stock/candle")
        #expect(e.message.contains("You don't have access to this resource."))
        #expect(!String(describing: e).contains(Kit.key))
        #expect(!capture.text.contains(Kit.key))
    }

    @Test func statusErrorsAreTyped() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            switch request.query("symbol") {
            case "KEY": Fixture.json("finnhub/error-invalid-token.json", status: 401)
            case "LIMIT": Fixture.json("finnhub/error-limit.json", status: 429)
            case "BAD": .json(#"{"error": "Wrong resolution"}"#, status: 422)
            case "DOWN": .html(status: 502, title: "Bad Gateway")
            default: .json(#"{"error": "no"}"#, status: 404)
            }
        }
        let clock = ManualClock()
        let source = Kit.source(server, clock: clock)
        var kinds: [ProviderError.Kind?] = []
        // The 429 comes last: it pauses the limiter, and the manual clock never moves.
        for symbol in ["KEY", "BAD", "DOWN", "GONE", "LIMIT"] {
            let error = await #expect(throws: ProviderError.self) {
                _ = try await source.historyBars(
                    for: Kit.symbol(symbol), timeframe: .oneDay, in: Kit.range("2024-03-04", "2024-03-05"))
            }
            kinds.append(error?.kind)
        }
        await server.stop()
        #expect(kinds == [.unauthorized, .badRequest, .serverError, .notFound, .rateLimited(retryAfter: nil)])
        #expect(await source.client.limiter.status().pausedUntil == clock.now() + .seconds(60))
    }

    @Test func malformedCandlesAreAFormatChange() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            switch request.query("symbol") {
            case "TYPE": Fixture.json("finnhub/candles-wrong-type.json")
            case "CUT": .json(#"{"c": [175.1], "h": [176.9], "s": "o"#)
            case "NOS": .json(#"{"c": [175.1], "t": [1709510400]}"#)
            case "ODD": .json(#"{"s": "error"}"#)
            case "HTML": .html(status: 200, title: "Just a moment")
            default: .json(#"{"s": "ok", "t": [1709510400], "o": [1], "h": [1], "l": [1], "c": [1]}"#)
            }
        }
        let source = Kit.source(server)
        var errors: [ProviderError?] = []
        for symbol in ["TYPE", "CUT", "NOS", "ODD", "HTML", "NOVOL"] {
            errors.append(
                await #expect(throws: ProviderError.self) {
                    _ = try await source.historyBars(
                        for: Kit.symbol(symbol), timeframe: .oneDay, in: Kit.range("2024-03-04", "2024-03-05"))
                })
        }
        await server.stop()
        #expect(errors.allSatisfy { $0?.kind == .formatChanged })
        #expect(errors[0]?.message.contains("expected a number at c[0]") == true)
        #expect(errors[1]?.message.contains("not valid JSON") == true)
        #expect(errors[2]?.message.contains("missing key 's'") == true)
        #expect(errors[3]?.message.contains("'error'") == true)
        #expect(errors[4]?.message.contains("HTML") == true)
        #expect(errors[5]?.message.contains("missing key 'v'") == true)
        #expect(errors.allSatisfy { $0?.symbol != nil })
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .hang }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server, timeout: .milliseconds(300)).historyBars(
                for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.range("2024-03-04", "2024-03-05"))
        }
        await server.stop()
        #expect(error?.kind == .timeout)
    }
}
