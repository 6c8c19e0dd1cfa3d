import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = PolygonHarness

@Suite("Polygon bars")
struct PolygonBarsTests {
    private static func pages(_ request: RecordedRequest) -> StubResponse {
        switch request.query("cursor") {
        case "cGFnZTI": Fixture.json("polygon/aggs-day-page2.json")
        case "cGFnZTM": Fixture.json("polygon/aggs-day-page3.json")
        default: Fixture.json("polygon/aggs-day-page1.json")
        }
    }

    @Test func dailyBarsFollowNextURLAcrossThreePagesWithoutDuplicates() async throws {
        let h = try await H.start { Self.pages($0) }
        let bars = try await h.source.historyBars(
            for: H.symbol("AAPL"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-11T00:00:00Z"))
        await h.stop()
        #expect(
            bars.map(\.start) == [
                H.time("2024-03-04T00:00:00Z"), H.time("2024-03-05T00:00:00Z"), H.time("2024-03-06T00:00:00Z"),
                H.time("2024-03-07T00:00:00Z"), H.time("2024-03-08T00:00:00Z"),
                H.time("2024-03-11T00:00:00Z")  // t = 04:00Z, New York midnight after the spring change
            ])
        let first = try #require(bars.first)
        #expect(first.open == 176.15)
        #expect(first.high == 176.9)
        #expect(first.low == 173.79)
        #expect(first.close == 175.1)
        #expect(first.volume == 81_510_101)
        #expect(first.vwap == 175.0121)
        #expect(first.tradeCount == 952_123)
        #expect(first.source == SourceID("poly"))
        #expect(first.timeframe == .oneDay)
        #expect(bars[3].close == 169)

        #expect(h.requests.count == 3)
        let initial = h.requests[0]
        #expect(initial.path == "/v2/aggs/ticker/AAPL/range/1/day/2024-03-01/2024-03-11")
        #expect(initial.query("adjusted") == "true")
        #expect(initial.query("sort") == "asc")
        #expect(initial.query("limit") == "50000")
        // next_url names api.polygon.io / api.massive.com; it is followed on the configured base URL.
        #expect(h.requests[1].path == "/v2/aggs/ticker/AAPL/range/1/day/1709701200000/2024-03-11")
        #expect(h.requests[1].query("cursor") == "cGFnZTI")
        #expect(h.requests[2].path == "/v2/aggs/ticker/AAPL/range/1/day/1709874000000/2024-03-11")
        #expect(h.requests[2].query("cursor") == "cGFnZTM")
    }

    @Test func everyPageIsSentWithTheBearerHeaderAndTheKeyIsInNoLogLine() async throws {
        let h = try await H.start { Self.pages($0) }
        _ = try await h.source.historyBars(
            for: H.symbol("AAPL"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-11T00:00:00Z"))
        await h.stop()
        #expect(h.requests.count == 3)
        for request in h.requests {
            #expect(request.header("Authorization") == "Bearer \(H.key)")
            #expect(request.query("apiKey") == nil)
            #expect(request.query("apikey") == nil)
        }
        #expect(!h.capture.text.contains(H.key))
        #expect(h.capture.text.contains("status=200"))
    }

    @Test func minuteBarsKeepExactMillisecondsAcrossBothDaylightSavingChanges() async throws {
        let h = try await H.start { _ in Fixture.json("polygon/aggs-minute-dst.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("AAPL"), timeframe: .oneMinute, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-11-30T00:00:00Z"))
        await h.stop()
        #expect(h.requests.first?.path == "/v2/aggs/ticker/AAPL/range/1/minute/1709251200000/1732924800000")
        #expect(
            bars.map(\.start) == [
                Timestamp(milliseconds: 1_709_908_200_000),  // 2024-03-08 09:30 EST
                Timestamp(milliseconds: 1_710_163_800_000),  // 2024-03-11 09:30 EDT
                Timestamp(milliseconds: 1_730_467_800_000),  // 2024-11-01 09:30 EDT
                Timestamp(milliseconds: 1_730_730_600_000)  // 2024-11-04 09:30 EST
            ])
        #expect(bars[1].start == H.time("2024-03-11T13:30:00Z"))
        #expect(bars[3].start == H.time("2024-11-04T14:30:00Z"))
        #expect(bars[2].vwap == nil)
        #expect(bars[2].tradeCount == nil)
        #expect(bars.allSatisfy { $0.timeframe == .oneMinute })
    }

    @Test func noResultsIsAnEmptyList() async throws {
        let h = try await H.start { _ in Fixture.json("polygon/aggs-empty.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("AAPL"), timeframe: .fiveMinutes, in: H.time("2024-03-02T00:00:00Z")...H.time("2024-03-03T00:00:00Z"))
        await h.stop()
        #expect(bars.isEmpty)
        #expect(h.requests.count == 1)
        #expect(h.requests.first?.path.contains("/range/5/minute/") == true)
    }

    @Test func weeksStartOnMondayAndMonthsOnTheFirst() async throws {
        let weekly = #"""
            {"ticker":"AAPL","status":"OK","resultsCount":2,"results":[
             {"o":182.24,"h":183.1,"l":179.0,"c":179.66,"v":2.0e8,"t":1708837200000},
             {"o":176.15,"h":177.0,"l":168.49,"c":170.73,"v":3.5e8,"t":1709442000000}]}
            """#
        let monthly =
            #"{"ticker":"AAPL","status":"OK","resultsCount":1,"results":[{"o":179.55,"h":180.53,"l":168.49,"c":171.48,"v":1.2e9,"t":1709269200000}]}"#
        let h = try await H.start { $0.path.contains("/week/") ? .json(weekly) : .json(monthly) }
        let weeks = try await h.source.historyBars(
            for: H.symbol("AAPL"), timeframe: .oneWeek, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-31T00:00:00Z"))
        let months = try await h.source.historyBars(
            for: H.symbol("AAPL"), timeframe: .oneMonth, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-04-30T00:00:00Z"))
        await h.stop()
        #expect(h.requests[0].path == "/v2/aggs/ticker/AAPL/range/1/week/2024-02-25/2024-03-31")
        // Polygon's week starting Sunday 2024-03-03 (New York) is ticktop's week of Monday 2024-03-04;
        // the week of 2024-02-26 starts before the range and is left out.
        #expect(weeks.map(\.start) == [H.time("2024-03-04T00:00:00Z")])
        #expect(weeks.first?.close == 170.73)
        #expect(h.requests[1].path == "/v2/aggs/ticker/AAPL/range/1/month/2024-03-01/2024-04-30")
        #expect(months.map(\.start) == [H.time("2024-03-01T00:00:00Z")])
    }

    @Test func cryptoUsesTheXTickerAndUTCDays() async throws {
        let daily =
            #"{"ticker":"X:BTCUSD","status":"OK","resultsCount":1,"results":[{"o":68000.5,"h":69100,"l":59000,"c":63800.25,"v":42000.5,"t":1709596800000}]}"#
        let h = try await H.start { _ in .json(daily) }
        let bars = try await h.source.historyBars(
            for: H.symbol("BTC-USD"), timeframe: .oneDay, in: H.time("2024-03-05T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        await h.stop()
        #expect(h.requests.first?.path == "/v2/aggs/ticker/X:BTCUSD/range/1/day/2024-03-05/2024-03-05")
        #expect(bars.map(\.start) == [H.time("2024-03-05T00:00:00Z")])
        #expect(bars.first?.volume == 42000.5)
    }

    @Test func aNextURLThatRepeatsIsNotFollowedForever() async throws {
        let looping =
            #"{"ticker":"AAPL","status":"OK","resultsCount":0,"next_url":"https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/x/y?cursor=again"}"#
        let h = try await H.start { _ in .json(looping) }
        let bars = try await h.source.historyBars(
            for: H.symbol("AAPL"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-11T00:00:00Z"))
        await h.stop()
        #expect(bars.isEmpty)
        #expect(h.requests.count == 2)
        #expect(h.capture.text.contains("stopped following next_url"))
    }

    @Test func theFactoryBuildsARunnableSource() async {
        let clock = ManualClock()
        let factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: clock), clock: clock, timeSource: clock,
            logger: LogCapture().logger(), environment: ["POLYGON_API_KEY": H.key])
        let setup = factory.make(.defaults(id: "poly", kind: .polygon))
        #expect(setup.state == .starting)
        #expect(setup.source?.capabilities == [.historyBars, .latestQuotes])
        #expect(setup.source?.quoteSymbolsPerRequest == 1)
        #expect(await setup.source?.rateLimiter?.limit == RateLimit(requests: 5, per: .seconds(60), basis: .observed))
    }

    @Test func theSourceDescribesItself() async throws {
        let h = try await H.start { _ in .json("{}") }
        await h.stop()
        #expect(h.source.kind == "polygon")
        #expect(h.source.capabilities == [.historyBars, .latestQuotes])
        #expect(h.source.quoteSymbolsPerRequest == 1)
        #expect(h.source.rateLimiter === h.limiter)
    }
}
