import CollectorTestSupport
import Foundation
import Testing

@testable import Collector

@Suite("Replay formats")
struct ReplayFormatTests {
    typealias F = ReplayFixtures

    @Test func ticktopBarsCSVWithEveryTimeForm() async throws {
        let source = try F.source(F.path("bars.csv"))
        #expect(source.capabilities == [.historyBars, .latestQuotes])
        #expect(source.kind == "replay" && source.id == F.id)
        #expect(source.problems.isEmpty && source.problemSummary == nil)
        let range = F.open...(F.open + .seconds(3600))
        let aapl = try await source.historyBars(for: F.aapl, timeframe: .oneMinute, in: range)
        #expect(
            aapl == [
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .oneMinute, start: F.open, open: 179.55, high: 179.9,
                    low: 179.5, close: 179.85, volume: 120_345, vwap: 179.71, tradeCount: 1204),
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .oneMinute, start: F.open + .seconds(60), open: 179.85,
                    high: 180.1, low: 179.8, close: 180.05, volume: 98_765),
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .oneMinute, start: F.open + .seconds(120), open: 180.05,
                    high: 180.2, low: 179.95, close: 180, volume: 87_654.5, vwap: 180.1, tradeCount: 800)
            ])
        let msft = try await source.historyBars(for: F.msft, timeframe: .oneMinute, in: range)
        #expect(msft.map(\.start) == [F.open] && msft.first?.close == 410.4 && msft.first?.tradeCount == 500)
        #expect(source.symbols == [F.aapl, F.msft])
        #expect(source.files == ["bars.csv"])
    }

    @Test func yahooDailyExportSkipsNullRows() async throws {
        let source = try F.source(F.path("AAPL.yahoo.csv"))
        let range = Timestamp.at("2024-03-01")...Timestamp.at("2024-03-31")
        let bars = try await source.historyBars(for: F.aapl, timeframe: .oneDay, in: range)
        #expect(bars.map(\.start) == ["2024-03-01", "2024-03-04", "2024-03-05", "2024-03-07"].map(Timestamp.at))
        #expect(
            bars.first
                == Bar(
                    symbol: F.aapl, source: F.id, timeframe: .oneDay, start: .at("2024-03-01"), open: 179.550003,
                    high: 180.529999, low: 177.380005, close: 179.660004, volume: 73_488_000))
        #expect(bars.last?.close == 169.0 && bars.last?.volume == 71_765_100)
        #expect(source.problems == [ReplayProblem(file: "AAPL.yahoo.csv", line: 5, message: "open is null")])
        #expect(source.problemSummary == "1 problem in the replay files: AAPL.yahoo.csv line 5: open is null")
    }

    @Test func alphaVantageDailyIsSortedOldestFirst() async throws {
        let source = try F.source(F.path("daily_IBM.csv"))
        #expect(source.symbols == [F.ibm])
        let bars = try await source.historyBars(for: F.ibm, timeframe: .oneDay, in: .at("2024-01-01")...(.at("2024-12-31")))
        #expect(bars.map(\.start) == [.at("2024-03-04"), .at("2024-03-05")])
        #expect(bars.map(\.close) == [193.06, 191.95])
        #expect(bars.map(\.volume) == [7_938_122, 4_319_845])
    }

    @Test func alphaVantageIntradayIsNewYorkTimeAcrossDaylightSaving() async throws {
        let source = try F.source(F.path("intraday_5min_IBM.csv"))
        let bars = try await source.historyBars(for: F.ibm, timeframe: .fiveMinutes, in: .at("2024-03-01")...(.at("2024-03-31")))
        // 2024-03-08 is EST (UTC-5), 2024-03-11 EDT (UTC-4).
        #expect(
            bars.map(\.start) == [
                .at("2024-03-08T20:55:00Z"), .at("2024-03-08T21:00:00Z"), .at("2024-03-11T13:30:00Z"), .at("2024-03-11T13:35:00Z")
            ])
        #expect(bars.map(\.open) == [195.0, 195.1, 191.0, 191.5])
        #expect(bars.allSatisfy { $0.timeframe == .fiveMinutes })
    }

    @Test func alphaVantageAutumnChangeAndTimeframeInference() async throws {
        let directory = try TemporaryDirectory()
        let path = try F.write(
            """
            timestamp,open,high,low,close,volume
            2024-11-04 09:30:00,10,11,9,10.5,100
            2024-11-01 15:00:00,12,13,11,12.5,200
            2024-11-01 16:00:00,12.5,13,12,12.75,300
            """, "intraday_60min_IBM.csv", in: directory)
        let source = try F.source(path)
        let bars = try await source.historyBars(for: F.ibm, timeframe: .oneHour, in: .at("2024-11-01")...(.at("2024-11-30")))
        // 2024-11-01 is EDT (UTC-4); 2024-11-04 EST (UTC-5).
        #expect(bars.map(\.start) == [.at("2024-11-01T19:00:00Z"), .at("2024-11-01T20:00:00Z"), .at("2024-11-04T14:30:00Z")])
    }

    @Test func weeklyDatesAndUnknownSpacing() async throws {
        let directory = try TemporaryDirectory()
        let weekly = try F.write(
            """
            Date,Open,High,Low,Close,Volume
            2024-03-04,1,2,0.5,1.5,10
            2024-03-11,1.5,2,1,1.75,20
            """, "MSFT.csv", in: directory)
        let bars = try await F.source(weekly).historyBars(
            for: F.msft, timeframe: .oneWeek, in: .at("2024-03-01")...(.at("2024-03-31")))
        #expect(bars.map(\.start) == [.at("2024-03-04"), .at("2024-03-11")])
        let odd = try F.write(
            """
            timestamp,open,high,low,close,volume
            2024-03-04 10:00:00,1,2,0.5,1.5,10
            2024-03-04 10:02:00,1,2,0.5,1.5,10
            """, "IBM.csv", in: directory)
        #expect { try F.source(odd) } throws: { error in
            "\(error)" == "replay file \(odd) cannot be replayed: cannot tell the bar length: the closest bars are 2 minutes "
                + "apart (expected 1, 5, 15, 30 or 60 minutes or 4 hours, or dates)"
        }
    }

    @Test func quoteCSVWithQuotedCellsAndCRLF() throws {
        let source = try F.source(F.path("quotes.csv"))
        let values = source.recordedValues
        #expect(
            F.quotes(values) == [
                Quote(
                    symbol: F.aapl, source: F.id, bid: 179.5, bidSize: 3, ask: 179.52, askSize: 5, last: 179.51,
                    exchangeTime: .at("2024-03-01T14:30:00.123Z"), receivedAt: .at("2024-03-01T14:30:00.123Z")),
                Quote(
                    symbol: F.msft, source: F.id, bid: 410.1, bidSize: 2, ask: 410.15, askSize: 1,
                    exchangeTime: .at("2024-03-01T14:30:00.123Z"), receivedAt: .at("2024-03-01T14:30:00.123Z")),
                Quote(
                    symbol: F.aapl, source: F.id, bid: 179.55, bidSize: 4, ask: 179.57, askSize: 2, last: 179.56,
                    exchangeTime: .at("2024-03-01T14:30:02.123Z"), receivedAt: .at("2024-03-01T14:30:02.123Z")),
                Quote(
                    symbol: F.aapl, source: F.id, bid: 179.6, bidSize: 1, ask: 179.62, askSize: 3,
                    exchangeTime: .at("2024-03-01T14:30:02.623456789Z"), receivedAt: .at("2024-03-01T14:30:02.623456789Z"))
            ])
        #expect(source.problems.map(\.description) == [#"quotes.csv line 6: bid "abc" is not a number"#])
    }

    @Test func jsonLinesInBothForms() throws {
        let source = try F.source(F.path("events.jsonl"))
        let values = source.recordedValues
        let t0 = Timestamp(nanoseconds: 1_709_303_400_123_000_000)
        #expect(
            F.quotes(values) == [
                Quote(
                    symbol: F.aapl, source: F.id, bid: 179.5, bidSize: 3, ask: 179.52, askSize: 5, last: 179.51,
                    exchangeTime: t0, receivedAt: t0 + .milliseconds(27), previousClose: 178.2, dayVolume: 1_200_000),
                Quote(
                    symbol: F.msft, source: F.id, bid: 410.1, bidSize: 2, ask: 410.15, askSize: 1,
                    exchangeTime: .at("2024-03-01T14:30:00.5Z"), receivedAt: .at("2024-03-01T14:30:00.52Z"))
            ])
        #expect(
            F.trades(values) == [
                Trade(
                    symbol: F.aapl, source: F.id, price: 179.51, size: 100, exchangeTime: t0 + .milliseconds(1),
                    receivedAt: t0 + .milliseconds(28), tradeID: "52983525029461"),
                Trade(
                    symbol: F.msft, source: F.id, price: 410.12, size: 25, exchangeTime: .at("2024-03-01T14:30:00.6Z"),
                    receivedAt: .at("2024-03-01T14:30:00.6Z"), tradeID: "t-1")
            ])
        #expect(
            F.bars(values) == [
                Bar(
                    symbol: F.aapl, source: F.id, timeframe: .oneMinute, start: F.open, open: 179.55, high: 179.9, low: 179.5,
                    close: 179.85, volume: 120_345, vwap: 179.71, tradeCount: 1204),
                Bar(
                    symbol: F.msft, source: F.id, timeframe: .oneMinute, start: F.open, open: 410.1, high: 410.5, low: 409.9,
                    close: 410.4, volume: 55_000, tradeCount: 500)
            ])
        // Timeline: quotes and trades at their exchange time, bars when they end.
        #expect(values.map(\.kind) == [.quote, .trade, .quote, .trade, .bar, .bar])
        #expect(
            source.problems.map(\.description) == [
                #"events.jsonl line 8: bid "x" is not a number"#,
                "events.jsonl line 9: the line is not valid JSON",
                #"events.jsonl line 10: type "swap" is not quote, trade or bar"#
            ])
    }

    @Test func whatTicktopRecordsReplaysUnchanged() throws {
        let directory = try TemporaryDirectory()
        let recorded: [MarketEvent] = [
            .quote(MarketFixtures.quote(at: .at("2024-03-01T14:30:00.000000001Z"), previousClose: 99, dayVolume: 5)),
            .trade(
                Trade(
                    symbol: F.msft, source: "alpaca", price: 1.5, size: 2, exchangeTime: .at("2024-03-01T14:30:01Z"),
                    receivedAt: .at("2024-03-01T14:30:01.5Z"), tradeID: "x")),
            .bar(MarketFixtures.bar(timeframe: .oneDay, start: .at("2024-03-01"), vwap: 100.25, tradeCount: 9))
        ]
        let encoder = JSONEncoder()
        let lines = try recorded.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let path = try F.write(lines.joined(separator: "\n") + "\n", "recording.jsonl", in: directory)
        let source = try F.source(path)
        #expect(source.problems.isEmpty)
        let restamped: [MarketEvent] = recorded.map { event in
            switch event {
            case .quote(var q):
                q.source = F.id
                return .quote(q)
            case .trade(var t):
                t.source = F.id
                return .trade(t)
            case .bar(var b):
                b.source = F.id
                return .bar(b)
            }
        }
        #expect(source.recordedValues == restamped)
    }

    @Test func tradeCSVAndDirectoryOfFiles() async throws {
        let directory = try TemporaryDirectory()
        try F.write(
            "symbol,time,price,size,id,received\nAAPL,2024-03-01T14:30:01Z,10.5,3,a1,2024-03-01T14:30:01.25Z\n",
            "trades.csv", in: directory)
        try F.write(F.quoteFile([("AAPL", "2024-03-01T14:30:00Z", 10)]), "quotes.csv", in: directory)
        try F.write("not a replay file", "notes.md", in: directory)
        try F.write("", ".hidden.csv", in: directory)
        let source = try F.source(directory.url.path)
        #expect(source.files == ["quotes.csv", "trades.csv"])
        #expect(source.recordedValues.map(\.kind) == [.quote, .trade])
        #expect(
            F.trades(source.recordedValues) == [
                Trade(
                    symbol: F.aapl, source: F.id, price: 10.5, size: 3, exchangeTime: .at("2024-03-01T14:30:01Z"),
                    receivedAt: .at("2024-03-01T14:30:01.25Z"), tradeID: "a1")
            ])
        #expect(source.problems.map(\.description) == ["notes.md: skipped: not a .csv, .txt, .jsonl, .ndjson or .json file"])
        #expect(source.summary == "quotes.csv, trades.csv: 1 quote, 1 trade of AAPL at recorded pace")
    }
}
