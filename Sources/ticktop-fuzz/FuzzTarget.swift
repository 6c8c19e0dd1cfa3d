import Collector
import Foundation
import MonitorUI

/// One parser of outside data under fuzzing. Each run must return whatever the input: a
/// rejected input is an error value, never a trap (ASan and libFuzzer report any crash).
enum FuzzTarget: String, CaseIterable, Sendable {
    case alpacaStream = "alpaca-stream"
    case polygonStream = "polygon-stream"
    case finnhubStream = "finnhub-stream"
    case alpacaREST = "alpaca-rest"
    case polygonREST = "polygon-rest"
    case finnhubREST = "finnhub-rest"
    case yahooREST = "yahoo-rest"
    case alphaVantageREST = "alphavantage-rest"
    case replayCSV = "replay-csv"
    case replayJSONLines = "replay-jsonl"
    case config
    case theme
    case watchlist
    case symbol
    case duration
    case date

    /// The target `main` chose; read by libFuzzer's callback, which cannot capture context.
    /// Set once before fuzzing starts, then only read (libFuzzer runs inputs one at a time).
    nonisolated(unsafe) static var selected: FuzzTarget = .symbol

    func run(_ bytes: UnsafeRawBufferPointer) {
        let receivedAt = Timestamp(seconds: 1_709_303_400)
        switch self {
        case .alpacaStream:
            var decoder = AlpacaStreamDecoder(source: "alpaca")
            _ = try? decoder.decode(bytes, receivedAt: receivedAt)
        case .polygonStream:
            var decoder = PolygonStreamDecoder(source: "polygon")
            _ = try? decoder.decode(bytes, receivedAt: receivedAt)
        case .finnhubStream:
            var decoder = FinnhubStreamDecoder(source: "finnhub")
            _ = try? decoder.decode(bytes, receivedAt: receivedAt)
        case .alpacaREST, .polygonREST, .finnhubREST, .yahooREST, .alphaVantageREST:
            RESTFuzzing.run(self, body: Array(bytes))
        case .replayCSV:
            ReplayFuzzing.run(text(bytes), fileName: "AAPL.csv")
        case .replayJSONLines:
            ReplayFuzzing.run(text(bytes), fileName: "tape.jsonl")
        case .config:
            _ = try? ConfigLoader.parse(text(bytes), file: "fuzz.toml")
        case .theme:
            _ = try? ThemeLoader.parse(text(bytes), file: "fuzz.toml")
        case .watchlist:
            ReplayFuzzing.watchlist(text(bytes))
        case .symbol:
            let string = text(bytes)
            if let symbol = try? Symbol(string) { _ = symbol.assetClass }
            _ = try? Symbol.parseList(string)
            _ = try? PolygonStreamDecoder.symbol(ticker: string)
            _ = try? FinnhubStreamDecoder.symbol(string)
        case .duration:
            let string = text(bytes)
            if let duration = DurationParser.parse(string) { _ = DurationParser.format(duration) + duration.ageText }
            _ = RateLimit(parsing: string)
        case .date:
            DateFuzzing.run(text(bytes))
        }
    }

    private func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
}
