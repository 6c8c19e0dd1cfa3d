import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@Suite("Yahoo chart history")
struct YahooChartTests {
    typealias Kit = YahooTestKit

    @Test func dailyBarsAcrossTheDaylightSavingChangeAreStampedWithTheirNewYorkDate() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-aapl-daily.json") }
        let clock = ManualClock()
        let source = Kit.source(server, clock: clock)
        let range = Kit.range("2024-03-07", "2024-03-13")
        let bars = try await source.historyBars(for: Kit.symbol("AAPL"), timeframe: .oneDay, in: range)
        await server.stop()

        // Yahoo stamps 14:30Z before the change (EST) and 13:30Z after it (EDT): both are the
        // session open, and both map to the UTC midnight of the New York date.
        #expect(
            bars.map(\.start)
                == [1_709_769_600, 1_709_856_000, 1_710_115_200, 1_710_201_600, 1_710_288_000].map { Timestamp(seconds: $0) })
        let first = try #require(bars.first)
        #expect(first.open == 169.15 && first.high == 170.73 && first.low == 168.49 && first.close == 169.0)
        #expect(first.volume == 71_765_100)
        #expect(first.source == SourceID("yahoo") && first.symbol == Kit.symbol("AAPL") && first.timeframe == .oneDay)
        // 2024-03-13: the row with a null close is skipped, the live row of the same day is kept (never 0).
        let last = try #require(bars.last)
        #expect(last.start == Timestamp(rfc3339: "2024-03-13"))
        #expect(last.close == 171.13 && last.volume == 51_948_700)
        #expect(!bars.contains { $0.close == 0 || $0.open == 0 })
    }

    @Test func sendsTheDocumentedChartRequestWithABrowserUserAgent() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-aapl-daily.json") }
        let source = Kit.source(server)
        _ = try await source.historyBars(for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.range("2024-03-07", "2024-03-13"))
        await server.stop()

        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.path == "/v8/finance/chart/AAPL")
        #expect(request.query("interval") == "1d")
        #expect(request.query("includePrePost") == "false")
        #expect(request.query("events") == "div,splits")
        // Widened by two days on each side for daily bars (Yahoo stamps them at the local open).
        #expect(request.query("period1") == String(Timestamp(rfc3339: "2024-03-05")!.nanoseconds / 1_000_000_000))
        #expect(request.query("period2") == String(Timestamp(rfc3339: "2024-03-15")!.nanoseconds / 1_000_000_000))
        #expect(request.query("range") == nil)
        let agent = try #require(request.header("User-Agent"))
        #expect(agent.hasPrefix("Mozilla/5.0") && agent.contains("Chrome/"))
        #expect(request.header("Cookie") == nil)
        #expect(request.query("crumb") == nil)
    }

    @Test func adjustedClosesAndEventsAreParsedButBarsStayRaw() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-aapl-daily.json") }
        let chart = try await Kit.source(server).chart(
            for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.range("2024-03-07", "2024-03-13"))
        await server.stop()

        let march7 = try #require(Timestamp(rfc3339: "2024-03-07"))
        #expect(chart.adjustedCloses[march7] == 168.77)
        #expect(chart.bars.first?.close == 169.0)
        #expect(chart.adjustedCloses[Timestamp(rfc3339: "2024-03-12")!] == nil)  // null adjclose skipped
        #expect(chart.adjustedCloses[Timestamp(rfc3339: "2024-03-13")!] == 171.13)
        #expect(chart.adjustedCloses.count == 4)
        #expect(chart.dividends == [YahooDividend(exDate: Timestamp(rfc3339: "2024-02-09")!, amount: 0.24)])
        #expect(chart.splits == [YahooSplit(exDate: Timestamp(rfc3339: "2020-08-31")!, numerator: 4, denominator: 1)])
        #expect(chart.splits.first?.ratio == 4)
        #expect(chart.exchangeTimeZone == "America/New_York")
    }

    @Test func barsPastTheRangeAreDropped() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-aapl-daily.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.range("2024-03-08", "2024-03-12"))
        await server.stop()
        #expect(bars.map(\.start) == ["2024-03-08", "2024-03-11", "2024-03-12"].map { Timestamp(rfc3339: $0)! })
    }

    @Test func intradayBarsKeepTheirExactInstantsAndSkipNulls() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-aapl-5m.json") }
        let bars = try await Kit.source(server, includePrePost: true).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .fiveMinutes, in: Kit.range("2024-03-08T15:00:00Z", "2024-03-11T13:35:00Z"))
        await server.stop()

        // 10:00 EST is 15:00Z; after the change 09:30 EDT is 13:30Z.
        #expect(bars.map(\.start) == [1_709_910_000, 1_709_910_300, 1_710_164_100].map { Timestamp(seconds: $0) })
        #expect(bars[0].open == 170.1 && bars[0].close == 170.35 && bars[0].volume == 1_250_400)
        #expect(bars[2].close == 172.6 && bars[2].volume == 1_101_022)
        let request = try #require(server.requests.first)
        #expect(request.query("interval") == "5m")
        #expect(request.query("includePrePost") == "true")
        #expect(request.query("period1") == "1709910000")
        #expect(request.query("period2") == "1710164400")
    }

    @Test func fourHourBarsAreBuiltFromHourlyOnes() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-aapl-60m.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: .fourHours, in: Kit.range("2024-03-11T12:00:00Z", "2024-03-11T16:00:00Z"))
        await server.stop()

        let request = try #require(server.requests.first)
        #expect(request.query("interval") == "60m")
        #expect(request.query("period1") == "1710158400")
        #expect(request.query("period2") == "1710187200")
        #expect(bars.count == 2)
        #expect(bars.allSatisfy { $0.timeframe == .fourHours })
        #expect(bars[0].start == Timestamp(rfc3339: "2024-03-11T12:00:00Z"))
        #expect(bars[0].open == 172.94 && bars[0].high == 174.38 && bars[0].low == 172.05 && bars[0].close == 172.8)
        #expect(bars[0].volume == 29_000_000)
        #expect(bars[1].start == Timestamp(rfc3339: "2024-03-11T16:00:00Z"))
        #expect(bars[1].open == 172.8 && bars[1].high == 173.2 && bars[1].low == 172.3 && bars[1].close == 172.75)
        #expect(bars[1].volume == 31_139_500)
    }

    @Test func aSydneyListingIsStampedWithItsSydneyDate() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-bhp-daily.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("BHP.AX"), timeframe: .oneDay, in: Kit.range("2024-03-11", "2024-03-12"))
        await server.stop()
        // 23:00Z on the 10th is 10:00 on the 11th in Sydney, and still the 10th in New York.
        #expect(bars.map(\.start) == [Timestamp(rfc3339: "2024-03-11")!, Timestamp(rfc3339: "2024-03-12")!])
        #expect(bars.map(\.close) == [44.12, 44.41])
        #expect(Timestamp(seconds: 1_710_111_600).newYorkTradingDay == Timestamp(rfc3339: "2024-03-10"))
        #expect(server.requests.first?.path == "/v8/finance/chart/BHP.AX")
    }

    @Test func cryptoDailyBarsFollowUTC() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-btc-daily.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("BTC-USD"), timeframe: .oneDay, in: Kit.range("2024-03-11", "2024-03-12"))
        await server.stop()
        #expect(bars.map(\.start) == [Timestamp(rfc3339: "2024-03-11")!, Timestamp(rfc3339: "2024-03-12")!])
        #expect(bars[0].volume == 65_716_656_765)
        #expect(server.requests.first?.path == "/v8/finance/chart/BTC-USD")
    }

    @Test func anUnknownTimeZoneNameFallsBackToTheOffset() async throws {
        let body = #"""
            {"chart":{"result":[{"meta":{"exchangeTimezoneName":"Mars/Olympus","gmtoffset":36000},
            "timestamp":[1710111600],"indicators":{"quote":[{"open":[7.5],"high":[7.7],"low":[7.4],"close":[7.6],"volume":[1000]}]}}],"error":null}}
            """#
        let server = try await LoopbackHTTPServer.start { _ in .json(body) }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("BHP.AX"), timeframe: .oneDay, in: Kit.range("2024-03-11", "2024-03-11"))
        await server.stop()
        // 23:00Z on the 10th is 09:00 on the 11th at UTC+10.
        #expect(bars.map(\.start) == [Timestamp(rfc3339: "2024-03-11")!])
    }

    @Test func longOneMinuteRangesTakeOneRequestPerSevenDaysWithoutDuplicates() async throws {
        // Each window answers its first minute and the minute at its end (shared with the next window).
        let server = try await LoopbackHTTPServer.start { request in
            let p1 = Int64(request.query("period1") ?? "0") ?? 0
            let p2 = Int64(request.query("period2") ?? "0") ?? 0
            return .json(
                #"""
                {"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York"},"timestamp":[\#(p1),\#(p2)],
                "indicators":{"quote":[{"open":[1,2],"high":[1,2],"low":[1,2],"close":[1,2],"volume":[10,20]}]}}],"error":null}}
                """#)
        }
        let range = Kit.range("2024-03-01T00:00:00Z", "2024-03-20T00:00:00Z")
        let bars = try await Kit.source(server).historyBars(for: Kit.symbol("AAPL"), timeframe: .oneMinute, in: range)
        await server.stop()

        let windows = server.requests.map { (Int64($0.query("period1")!)!, Int64($0.query("period2")!)!) }
        #expect(windows.count == 3)
        #expect(windows.allSatisfy { $0.1 - $0.0 <= 7 * 86_400 })
        #expect(windows.first?.0 == 1_709_251_200)
        #expect(windows.last?.1 == 1_710_892_860)
        #expect(zip(windows, windows.dropFirst()).allSatisfy { $0.1 == $1.0 })
        #expect(server.requests.allSatisfy { $0.query("interval") == "1m" })
        #expect(Set(bars.map(\.start)).count == bars.count)
        #expect(bars.map(\.start) == bars.map(\.start).sorted())
        #expect(bars.count == 3)  // 3 window starts; the last window's end lies past the range
    }

    @Test(arguments: [
        (Timeframe.fifteenMinutes, "15m"), (.thirtyMinutes, "30m"), (.oneHour, "60m"), (.oneWeek, "1wk"), (.oneMonth, "1mo")
    ])
    func mapsTimeframesToYahooIntervals(timeframe: Timeframe, interval: String) async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-empty-result.json") }
        let bars = try await Kit.source(server).historyBars(
            for: Kit.symbol("AAPL"), timeframe: timeframe, in: Kit.range("2024-03-01", "2024-03-08"))
        await server.stop()
        #expect(bars.isEmpty)
        #expect(server.requests.first?.query("interval") == interval)
    }

    @Test func weeklyAndMonthlyBarsStartOnMondayAndTheFirst() async throws {
        let weekly = #"""
            {"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York"},"timestamp":[1709562600,1710163800],
            "indicators":{"quote":[{"open":[1,2],"high":[1,2],"low":[1,2],"close":[1,2],"volume":[10,20]}]}}],"error":null}}
            """#
        let monthly = #"""
            {"chart":{"result":[{"meta":{"exchangeTimezoneName":"America/New_York"},"timestamp":[1709303400],
            "indicators":{"quote":[{"open":[1],"high":[1],"low":[1],"close":[1],"volume":[10]}]}}],"error":null}}
            """#
        let server = try await LoopbackHTTPServer.start { request in
            .json(request.query("interval") == "1wk" ? weekly : monthly)
        }
        let source = Kit.source(server)
        let weeks = try await source.historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneWeek, in: Kit.range("2024-03-01", "2024-03-15"))
        let months = try await source.historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneMonth, in: Kit.range("2024-03-01", "2024-03-31"))
        await server.stop()
        // 2024-03-04 14:30Z and 2024-03-11 13:30Z are Mondays; 2024-03-01 14:30Z is the first trading day of March.
        #expect(weeks.map(\.start) == [Timestamp(rfc3339: "2024-03-04")!, Timestamp(rfc3339: "2024-03-11")!])
        #expect(weeks.allSatisfy { $0.timeframe == .oneWeek })
        #expect(months.map(\.start) == [Timestamp(rfc3339: "2024-03-01")!])
    }

    @Test func noTimestampsOrAnEmptyResultMeanNoBars() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.path.hasSuffix("MSFT")
                ? Fixture.json("yahoo/chart-empty-result.json") : Fixture.json("yahoo/chart-no-data.json")
        }
        let source = Kit.source(server)
        let range = Kit.range("2024-03-01", "2024-03-08")
        let none = try await source.historyBars(for: Kit.symbol("AAPL"), timeframe: .oneDay, in: range)
        let empty = try await source.historyBars(for: Kit.symbol("MSFT"), timeframe: .oneDay, in: range)
        await server.stop()
        #expect(none.isEmpty && empty.isEmpty)
        #expect(server.requests.count == 2)
    }

    @Test func symbolsAreSpelledTheYahooWay() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("yahoo/chart-empty-result.json") }
        let source = Kit.source(server)
        let range = Kit.range("2024-03-01", "2024-03-08")
        for text in ["BRK.B", "^GSPC", "EURUSD=X", "VOD.L", "SHOP.TO"] {
            _ = try await source.historyBars(for: Kit.symbol(text), timeframe: .oneDay, in: range)
        }
        await server.stop()
        let paths = server.requests.map { $0.path.removingPercentEncoding ?? $0.path }
        #expect(paths == ["BRK-B", "^GSPC", "EURUSD=X", "VOD.L", "SHOP.TO"].map { "/v8/finance/chart/" + $0 })
    }
}
