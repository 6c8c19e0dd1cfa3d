import CollectorTestSupport
import Foundation
import Testing

@testable import Collector

@Suite("Replay history")
struct ReplayHistoryTests {
    typealias F = ReplayFixtures

    @Test func barsInTheClosedRangeOldestFirst() async throws {
        let source = try F.source(F.path("bars.csv"))
        let middle = try await source.historyBars(
            for: F.aapl, timeframe: .oneMinute, in: (F.open + .seconds(60))...(F.open + .seconds(120)))
        #expect(middle.map(\.start) == [F.open + .seconds(60), F.open + .seconds(120)])
        #expect(try await source.historyBars(for: F.ibm, timeframe: .oneMinute, in: F.open...(F.open + .seconds(600))).isEmpty)
        #expect(
            try await source.historyBars(for: F.aapl, timeframe: .oneMinute, in: .at("2025-01-01")...(.at("2025-02-01"))).isEmpty)
        // Nothing finer than 1Min to build 1Min from; coarser bars are never split.
        let daily = try F.source(F.path("AAPL.yahoo.csv"))
        #expect(
            try await daily.historyBars(for: F.aapl, timeframe: .oneMinute, in: .at("2024-03-01")...(.at("2024-03-31"))).isEmpty)
    }

    @Test func coarserTimeframesAreAggregatedFromFinerBars() async throws {
        let directory = try TemporaryDirectory()
        var lines = ["symbol,timeframe,start,open,high,low,close,volume"]
        for minute in 0..<10 {
            let price = 100 + Double(minute)
            lines.append(
                "AAPL,1Min,\(1_709_303_400 + 60 * minute),\(price),\(price + 2),\(price - 1),\(price + 1),\(10 * (minute + 1))")
        }
        let source = try F.source(try F.write(lines.joined(separator: "\n"), "bars.csv", in: directory))
        let bars = try await source.historyBars(for: F.aapl, timeframe: .fiveMinutes, in: F.open...(F.open + .seconds(3600)))
        #expect(
            bars == [
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .fiveMinutes, start: F.open, open: 100, high: 106, low: 99,
                    close: 105, volume: 150),
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .fiveMinutes, start: F.open + .seconds(300), open: 105, high: 111,
                    low: 104, close: 110, volume: 400)
            ])
        let later = try await source.historyBars(
            for: F.aapl, timeframe: .fiveMinutes, in: (F.open + .seconds(1))...(F.open + .seconds(3600)))
        #expect(later.map(\.start) == [F.open + .seconds(300)])
    }

    @Test func dailyBarsFromIntradayCoverTheNewYorkTradingDate() async throws {
        let directory = try TemporaryDirectory()
        // 2024-03-02T00:30Z is 19:30 on 2024-03-01 in New York.
        let path = try F.write(
            """
            symbol,timeframe,start,open,high,low,close,volume
            AAPL,1Hour,2024-03-01T15:00:00Z,10,12,9,11,100
            AAPL,1Hour,2024-03-02T00:00:00Z,11,15,10,14,50
            AAPL,1Hour,2024-03-04T15:00:00Z,20,21,19,20.5,10
            """, "bars.csv", in: directory)
        let source = try F.source(path)
        let days = try await source.historyBars(for: F.aapl, timeframe: .oneDay, in: .at("2024-03-01")...(.at("2024-03-31")))
        #expect(
            days == [
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .oneDay, start: .at("2024-03-01"), open: 10, high: 15, low: 9,
                    close: 14, volume: 150),
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .oneDay, start: .at("2024-03-04"), open: 20, high: 21, low: 19,
                    close: 20.5, volume: 10)
            ])
        let weeks = try await F.source(F.path("AAPL.yahoo.csv")).historyBars(
            for: F.aapl, timeframe: .oneWeek, in: .at("2024-02-01")...(.at("2024-03-31")))
        #expect(weeks.map(\.start) == [.at("2024-02-26"), .at("2024-03-04")])
        #expect(weeks.last.map { ($0.open, $0.close, $0.volume) } ?? (0, 0, 0) == (176.149994, 169.0, 248_407_600))
    }

    @Test func aBarInTwoFilesIsReturnedOnceFromTheLaterFile() async throws {
        let directory = try TemporaryDirectory()
        let header = "symbol,timeframe,start,open,high,low,close,volume\n"
        try F.write(header + "AAPL,1Min,2024-03-01T14:30:00Z,1,2,0.5,1.5,10\n", "a.csv", in: directory)
        try F.write(
            header + "AAPL,1Min,2024-03-01T14:30:00Z,1,2,0.5,1.75,12\nAAPL,1Min,2024-03-01T14:31:00Z,1,2,0.5,1.5,10\n",
            "b.csv", in: directory)
        let source = try F.source(directory.url.path)
        let bars = try await source.historyBars(for: F.aapl, timeframe: .oneMinute, in: F.open...(F.open + .seconds(60)))
        #expect(bars.map(\.close) == [1.75, 1.5])
    }
}
