import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = AlphaVantageHarness

@Suite("Alpha Vantage bars")
struct AlphaVantageBarsTests {
    @Test func dailyBarsAreDecodedFromStringsSortedOldestFirstAndFilteredToTheRange() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/daily-compact.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneDay, in: H.time("2024-02-28T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        await h.stop()
        #expect(
            bars.map(\.start) == [
                H.time("2024-02-28T00:00:00Z"), H.time("2024-02-29T00:00:00Z"), H.time("2024-03-01T00:00:00Z"),
                H.time("2024-03-04T00:00:00Z"), H.time("2024-03-05T00:00:00Z")
            ])
        let last = try #require(bars.last)
        #expect(last.open == 192.03)
        #expect(last.high == 192.98)
        #expect(last.low == 190.4)
        #expect(last.close == 191.95)
        #expect(last.volume == 4_319_845)
        #expect(last.vwap == nil)
        #expect(last.symbol == H.symbol("IBM"))
        #expect(last.source == SourceID("av"))
        #expect(last.timeframe == .oneDay)
        #expect(bars[1].high == 186.8495)
    }

    @Test func theKeyIsSentAsTheApikeyQueryParameterAndMaskedInTheLog() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/daily-compact.json") }
        _ = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        await h.stop()
        let request = try #require(h.requests.first)
        #expect(h.requests.count == 1)
        #expect(request.method == "GET")
        #expect(request.path == "/query")
        #expect(request.query("function") == "TIME_SERIES_DAILY")
        #expect(request.query("symbol") == "IBM")
        #expect(request.query("outputsize") == "compact")
        #expect(request.query("datatype") == "json")
        #expect(request.query("apikey") == H.key)
        #expect(request.query("interval") == nil)
        #expect(request.header("Authorization") == nil)
        #expect(h.capture.text.contains("apikey=***"))
        #expect(!h.capture.text.contains(H.key))
    }

    @Test func aDailyRangeBeyondTheLatest100PointsAsksForFullOutput() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/daily-compact.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneDay, in: H.time("2023-06-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        await h.stop()
        #expect(h.requests.first?.query("outputsize") == "full")
        #expect(bars.count == 6)
    }

    @Test func intradayTimesAreNewYorkWallTimeAcrossTheSpringChange() async throws {
        let h = try await H.start(now: "2024-03-11T14:00:00Z") { _ in Fixture.json("alphavantage/intraday-5min-march.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .fiveMinutes, in: H.time("2024-03-08T00:00:00Z")...H.time("2024-03-11T14:00:00Z"))
        await h.stop()
        #expect(
            bars.map(\.start) == [
                H.time("2024-03-08T09:00:00Z"),  // 04:00 EST
                H.time("2024-03-08T14:30:00Z"),  // 09:30 EST
                H.time("2024-03-08T20:55:00Z"),  // 15:55 EST
                H.time("2024-03-11T13:30:00Z"),  // 09:30 EDT
                H.time("2024-03-11T13:35:00Z")
            ])
        #expect(bars.allSatisfy { $0.timeframe == .fiveMinutes })
        #expect(bars[3].open == 195.09)
        #expect(bars[3].volume == 212_004)
        let request = try #require(h.requests.first)
        #expect(request.query("function") == "TIME_SERIES_INTRADAY")
        #expect(request.query("interval") == "5min")
        // Three days back is more than 100 five-minute points, within the trailing 30 days.
        #expect(request.query("outputsize") == "full")
        #expect(request.query("month") == nil)
    }

    @Test func aRecentIntradayRangeUsesCompactAndKeepsOnlyBarsInRange() async throws {
        let h = try await H.start(now: "2024-03-11T14:00:00Z") { _ in Fixture.json("alphavantage/intraday-5min-march.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .fiveMinutes, in: H.time("2024-03-11T12:00:00Z")...H.time("2024-03-11T13:30:00Z"))
        await h.stop()
        #expect(h.requests.first?.query("outputsize") == "compact")
        #expect(bars.map(\.start) == [H.time("2024-03-11T13:30:00Z")])
    }

    @Test func hourlyTimesAcrossTheAutumnChange() async throws {
        let h = try await H.start(now: "2024-11-04T16:00:00Z") { _ in Fixture.json("alphavantage/intraday-60min-november.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneHour, in: H.time("2024-11-01T00:00:00Z")...H.time("2024-11-04T16:00:00Z"))
        await h.stop()
        #expect(
            bars.map(\.start) == [
                H.time("2024-11-01T16:00:00Z"), H.time("2024-11-01T17:00:00Z"), H.time("2024-11-01T18:00:00Z"),
                H.time("2024-11-01T19:00:00Z"),  // 15:00 EDT
                H.time("2024-11-04T14:00:00Z"),  // 09:00 EST
                H.time("2024-11-04T15:00:00Z")
            ])
        let request = try #require(h.requests.first)
        #expect(request.query("interval") == "60min")
        #expect(request.query("outputsize") == "compact")
    }

    @Test func fourHourBarsAreRolledUpFromSixtyMinuteBars() async throws {
        let h = try await H.start(now: "2024-11-04T16:00:00Z") { _ in Fixture.json("alphavantage/intraday-60min-november.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .fourHours, in: H.time("2024-11-01T00:00:00Z")...H.time("2024-11-04T16:00:00Z"))
        await h.stop()
        #expect(h.requests.first?.query("interval") == "60min")
        #expect(bars.count == 2)
        let first = try #require(bars.first)
        #expect(first.timeframe == .fourHours)
        #expect(first.start == H.time("2024-11-01T16:00:00Z"))
        #expect(first.open == 206.0)
        #expect(first.high == 207.9)
        #expect(first.low == 205.9)
        #expect(first.close == 207.75)
        #expect(first.volume == 2_326_952)
        #expect(bars[1].start == H.time("2024-11-04T12:00:00Z"))
        #expect(bars[1].volume == 712_119)
    }

    @Test func weeklyAndMonthlyBarsAreRolledUpFromDailyBars() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/daily-compact.json") }
        let weeks = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneWeek, in: H.time("2024-02-26T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        let months = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneMonth, in: H.time("2024-02-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        await h.stop()
        #expect(h.requests.allSatisfy { $0.query("function") == "TIME_SERIES_DAILY" })
        #expect(weeks.map(\.start) == [H.time("2024-02-26T00:00:00Z"), H.time("2024-03-04T00:00:00Z")])
        #expect(weeks[0].open == 185.26)
        #expect(weeks[0].high == 188.38)
        #expect(weeks[0].low == 183.28)
        #expect(weeks[0].close == 188.2)
        #expect(weeks[0].volume == 17_334_536)
        #expect(weeks[1].volume == 12_257_967)
        #expect(months.map(\.start) == [H.time("2024-02-01T00:00:00Z"), H.time("2024-03-01T00:00:00Z")])
        #expect(months[0].close == 185.03)
        #expect(months[1].open == 185.49)
        #expect(months.allSatisfy { $0.timeframe == .oneMonth })
    }

    @Test func olderIntradayHistoryComesOneMonthPerRequest() async throws {
        let empty = #"{"Meta Data": {"2. Symbol": "IBM"}, "Time Series (1min)": {}}"#
        let h = try await H.start(now: "2024-03-11T14:00:00Z") { _ in .json(empty) }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneMinute, in: H.time("2024-01-15T00:00:00Z")...H.time("2024-02-10T00:00:00Z"))
        await h.stop()
        #expect(bars.isEmpty)
        #expect(h.requests.map { $0.query("month") } == ["2024-01", "2024-02"])
        #expect(h.requests.allSatisfy { $0.query("outputsize") == "full" && $0.query("interval") == "1min" })
    }

    @Test func monthSlicesCrossTheYearBoundary() async throws {
        let empty = #"{"Meta Data": {}, "Time Series (15min)": {}}"#
        let h = try await H.start(now: "2024-03-11T14:00:00Z") { _ in .json(empty) }
        _ = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .fifteenMinutes, in: H.time("2023-11-20T15:00:00Z")...H.time("2024-01-05T15:00:00Z"))
        await h.stop()
        #expect(h.requests.map { $0.query("month") } == ["2023-11", "2023-12", "2024-01"])
        #expect(h.requests.allSatisfy { $0.query("interval") == "15min" })
    }

    @Test func theFactoryBuildsARunnableSource() async {
        let clock = ManualClock()
        let factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: clock), clock: clock, timeSource: clock,
            logger: LogCapture().logger(), environment: ["ALPHAVANTAGE_API_KEY": H.key])
        let setup = factory.make(.defaults(id: "av", kind: .alphavantage))
        #expect(setup.state == .starting)
        #expect(setup.source?.capabilities == [.historyBars, .latestQuotes])
        #expect(await setup.source?.rateLimiter?.limit == RateLimit(requests: 25, per: .seconds(86_400), basis: .observed))
        #expect(!String(describing: setup.detail).contains(H.key))
    }

    @Test func bareNumbersInsteadOfStringsAreAccepted() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/daily-numbers.json") }
        let bars = try await h.source.historyBars(
            for: H.symbol("IBM"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        await h.stop()
        #expect(bars.map(\.close) == [191.95])
        #expect(bars.map(\.volume) == [4_319_845])
    }
}
