/// Everything a replay plays back, loaded once and never changed: the rows in timeline order
/// (by replay time, then file order), the symbol table, and indexes for history and quotes.
final class ReplayTape: Sendable {
    /// Identifies one bar series: a symbol (index) and a timeframe.
    struct Series: Hashable, Sendable {
        var symbol: Int
        var timeframe: Timeframe
    }

    let rows: [ReplayRow]
    let symbols: [Symbol]
    let tradeIDs: [String]
    /// The names of the files that gave rows.
    let files: [String]
    /// The first problems found (at most `ReplayProblemLog.keepLimit`) and how many there were.
    let problems: [ReplayProblem]
    let problemCount: Int
    let symbolIndex: [Symbol: Int]
    /// Row indices of each bar series, oldest first.
    let bars: [Series: [Int]]
    /// Row indices, by symbol, of the values `latestQuotes` reports: the symbol's quotes if the
    /// files have any, else its trades, else its bars.
    let priceRows: [[Int]]

    init(_ parts: (rows: [ReplayRow], symbols: [Symbol], tradeIDs: [String], problems: ReplayProblemLog), files: [String]) {
        rows = parts.rows
        symbols = parts.symbols
        tradeIDs = parts.tradeIDs
        self.files = files
        problems = parts.problems.kept
        problemCount = parts.problems.count
        symbolIndex = Dictionary(uniqueKeysWithValues: parts.symbols.enumerated().map { ($1, $0) })
        var bars: [Series: [Int]] = [:]
        var byKind = Array(repeating: [[Int]](repeating: [], count: 3), count: parts.symbols.count)
        for (index, row) in parts.rows.enumerated() {
            let symbol = Int(row.symbol)
            byKind[symbol][Int(row.kind.rawValue)].append(index)
            if row.kind == .bar, let timeframe = row.timeframe {
                bars[Series(symbol: symbol, timeframe: timeframe), default: []].append(index)
            }
        }
        self.bars = bars
        priceRows = byKind.map { kinds in kinds.first { !$0.isEmpty } ?? [] }
    }

    /// How many rows each kind has, for the summary.
    var counts: (quotes: Int, trades: Int, bars: Int) {
        rows.reduce(into: (0, 0, 0)) { counts, row in
            switch row.kind {
            case .quote: counts.0 += 1
            case .trade: counts.1 += 1
            case .bar: counts.2 += 1
            }
        }
    }

    /// The timeframes the files have bars of for `symbol`, finest first.
    func timeframes(of symbol: Int) -> [Timeframe] {
        Timeframe.allCases.filter { bars[Series(symbol: symbol, timeframe: $0)] != nil }
    }

    /// The last of `indices` (ascending row indices) that lies before `position`, wrapping around
    /// to the last one overall when none does.
    static func last(of indices: [Int], before position: Int) -> Int? {
        var low = 0
        var high = indices.count
        while low < high {
            let middle = (low + high) / 2
            if indices[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? indices[low - 1] : indices.last
    }
}
