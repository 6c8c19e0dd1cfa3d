import Collector

/// How much history the store holds for one symbol (all sources).
public struct HistoryCount: Sendable, Hashable, Codable {
    package var symbol: Symbol
    package var dailyBars: Int
    package var minuteBars: Int

    public init(symbol: Symbol, dailyBars: Int, minuteBars: Int) {
        self.symbol = symbol
        self.dailyBars = dailyBars
        self.minuteBars = minuteBars
    }
}
