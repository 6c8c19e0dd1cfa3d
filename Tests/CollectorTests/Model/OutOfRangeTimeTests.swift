import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@testable import Collector

/// Times outside what ticktop can hold (`Timestamp.supportedRange`, 1678 to 2261) come from
/// files, providers and configuration; each is refused with a message, never a trap (each of
/// these crashed the process before).
@Suite("Out-of-range times")
struct OutOfRangeTimeTests {
    static let farDates = ["2262-04-12", "9999-12-31", "0001-01-01"]

    @Test(arguments: ["2262-04-12", "9999-12-31 10:00:00", "0001-01-01", "0001-01-01 00:00", "2261-12-31 23:00:00"])
    func newYorkLocalTimesOutsideTheRangeAreNotTimes(text: String) {
        #expect(Timestamp(newYorkLocal: text) == nil)
    }

    @Test func theRangeEndsAreAccepted() throws {
        #expect(Timestamp(newYorkLocal: "1678-01-01 00:00:00") == Timestamp(rfc3339: "1678-01-01T04:56:02Z"))
        #expect(Timestamp(rfc3339: "2261-12-31T23:59:59.999999999Z") == Timestamp.supportedRange.upperBound)
        #expect(Timestamp(rfc3339: "1678-01-01") == Timestamp.supportedRange.lowerBound)
        #expect(Timestamp(rfc3339: "2261-12-31T23:59:59-05:00") == nil)
        #expect(Timestamp(exactly: Date(timeIntervalSince1970: 1e12)) == nil)
        #expect(Timestamp(exactly: Date(timeIntervalSince1970: .nan)) == nil)
        #expect(Timestamp(checkedSeconds: .max) == nil && Timestamp(checkedMilliseconds: .min) == nil)
        #expect(Timestamp(checkedSeconds: 1_709_672_401) == Timestamp(seconds: 1_709_672_401))
    }

    @Test(arguments: farDates)
    func aReplayRowDatedOutsideTheRangeIsABadRow(date: String) throws {
        let directory = try TemporaryDirectory()
        let path = try ReplayFixtures.write(
            """
            timestamp,open,high,low,close,volume
            \(date),1,2,0.5,1.5,10
            2024-03-05,192.03,192.98,190.40,191.95,4319845
            """, "daily_IBM.csv", in: directory)
        let source = try ReplayFixtures.source(path)
        #expect(source.recordedValues.count == 1)
        #expect(
            source.problems.map(\.description) == [
                #"daily_IBM.csv line 2: timestamp "\#(date)" is not a time (\#(ReplayTime.expected))"#
            ])
        #expect(ReplayTime.expected.contains("1678-01-01 to 2261-12-31"))
    }

    @Test func anAlphaVantageIntradayKeyOutsideTheRangeIsAFormatChange() throws {
        let wire = try JSONDecoder().decode(
            AlphaVantageBarWire.self,
            from: Data(
                #"""
                {"1. open":"1","2. high":"2","3. low":"0.5","4. close":"1.5","5. volume":"10"}
                """#.utf8))
        let ibm = try Symbol("IBM")
        do throws(AlphaVantageMapping.Problem) {
            let bars = try AlphaVantageMapping.bars(
                ["9999-12-31 10:00:00": wire], seriesKey: "Time Series (5min)", daily: false, symbol: ibm,
                source: "av", timeframe: .fiveMinutes, in: Timestamp.supportedRange)
            Issue.record("expected a format change, got \(bars)")
        } catch {
            #expect(error.kind == .formatChanged)
            #expect(error.message.contains("unreadable time '9999-12-31 10:00:00'"))
            #expect(error.message.contains("1678-01-01 to 2261-12-31"))
        }
    }

    @Test func aReplaySpeedFarBelowTheRangeWaitsAtMostTheLongestDuration() {
        let wait = ReplayPlayer.wait(forRecordedGap: 60_000_000_000, speed: 1e-12, maximumGap: ReplaySource.defaultMaximumGap)
        #expect(wait == .nanoseconds(Int64.max))
        #expect(!ReplayPlayer.speeds.contains(1e-12) && ReplayPlayer.speeds.contains(0.001))
    }

    @Test(arguments: ["99999999999999", "-99999999999999", "9223372036854775807"])
    func aFinnhubQuoteTimeOutsideTheRangeIsAFormatChange(seconds: String) async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(#"{"c":170.12,"d":1,"dp":0.5,"h":171,"l":169,"o":170,"pc":175.1,"t":\#(seconds)}"#)
        }
        let source = FinnhubTestKit.source(server)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await source.latestQuotes(for: [FinnhubTestKit.symbol("AAPL")])
        }
        await server.stop()
        if seconds.hasPrefix("-") {
            #expect(error?.kind == .notFound)  // a non-positive time is Finnhub's "unknown symbol"
        } else {
            #expect(error?.kind == .formatChanged)
            #expect(error?.message.contains("'t' \(seconds) lies outside the supported range 1678-01-01 to 2261-12-31") == true)
        }
    }

    @Test func aFinnhubCandleTimeOutsideTheRangeIsAFormatChange() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(#"{"s":"ok","t":[1709251200,99999999999999],"o":[1,1],"h":[2,2],"l":[0.5,0.5],"c":[1.5,1.5],"v":[10,10]}"#)
        }
        let source = FinnhubTestKit.source(server)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await source.historyBars(
                for: FinnhubTestKit.symbol("AAPL"), timeframe: .oneDay,
                in: FinnhubTestKit.range("2024-03-01T00:00:00Z", "2024-03-08T00:00:00Z"))
        }
        await server.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("'t[1]' 99999999999999 lies outside the supported range") == true)
    }

    @Test func aPolygonAggregateTimeOutsideTheRangeIsAFormatChange() async throws {
        let h = try await PolygonHarness.start { _ in
            .json(#"{"status":"OK","resultsCount":1,"results":[{"t":9223372036854775807,"o":1,"h":2,"l":0.5,"c":1.5,"v":10}]}"#)
        }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await h.source.historyBars(
                for: PolygonHarness.symbol("AAPL"), timeframe: .oneWeek,
                in: PolygonHarness.time("2024-03-01T00:00:00Z")...PolygonHarness.time("2024-03-11T00:00:00Z"))
        }
        await h.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("'t' 9223372036854775807 lies outside the supported range") == true)
    }

    @Test func aYahooChartTimeOutsideTheRangeIsAFormatChange() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(
                #"""
                {"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York"},"timestamp":[99999999999999],
                "indicators":{"quote":[{"open":[1],"high":[2],"low":[0.5],"close":[1.5],"volume":[10]}]}}],"error":null}}
                """#)
        }
        let source = YahooTestKit.source(server)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await source.historyBars(
                for: YahooTestKit.symbol("AAPL"), timeframe: .oneDay, in: YahooTestKit.range("2024-03-01", "2024-03-08"))
        }
        await server.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("timestamp[0]' 99999999999999 lies outside the supported range") == true)
    }
}

/// `Duration.nanosecondsValue` saturates far outside ±292 years instead of trapping.
@Suite struct DurationNanosecondsTests {
    @Test func inRangeIsExact() {
        #expect(Duration.seconds(90).nanosecondsValue == 90_000_000_000)
        #expect(Duration.milliseconds(-1_500).nanosecondsValue == -1_500_000_000)
    }

    @Test func farOutsideSaturates() {
        #expect(Duration.seconds(Int64.max / 2).nanosecondsValue == .max)
        #expect(Duration.seconds(Int64.min / 2).nanosecondsValue == .min)
        #expect(Duration.seconds(9_223_372_036).nanosecondsValue == 9_223_372_036_000_000_000)
        #expect((Duration.seconds(9_223_372_036) + .seconds(1)).nanosecondsValue == .max)
    }
}
