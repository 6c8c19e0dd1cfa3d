/// Collects rows, symbols and problems while replay files are parsed.
struct ReplayTapeBuilder {
    private(set) var rows: [ReplayRow] = []
    private(set) var symbols: [Symbol] = []
    private(set) var tradeIDs: [String] = []
    var problems = ReplayProblemLog()
    private var symbolIndex: [Symbol: UInt32] = [:]
    /// Symbol cells already seen, by their raw text, so a million rows parse a symbol a few times.
    private var symbolCells: [String: UInt32] = [:]

    var rowCount: Int { rows.count }

    /// The index of the symbol spelled `text`, or an error saying why it is not a symbol.
    mutating func symbol(_ text: String) throws(ReplayRowError) -> UInt32 {
        if let index = symbolCells[text] { return index }
        let symbol: Symbol
        do {
            symbol = try Symbol(text)
        } catch {
            throw ReplayRowError("symbol \(ReplayProblem.quoted(text)) is not valid: \(error.reason)")
        }
        let index = self.index(of: symbol)
        if symbolCells.count < 10_000 { symbolCells[text] = index }
        return index
    }

    mutating func index(of symbol: Symbol) -> UInt32 {
        if let index = symbolIndex[symbol] { return index }
        let index = UInt32(symbols.count)
        symbols.append(symbol)
        symbolIndex[symbol] = index
        return index
    }

    /// Stores a trade id and returns its index for `ReplayRow.extra`; -1 for none.
    mutating func tradeID(_ id: String?) -> Int32 {
        guard let id, !id.isEmpty, tradeIDs.count < Int32.max else { return -1 }
        tradeIDs.append(id)
        return Int32(tradeIDs.count - 1)
    }

    mutating func append(_ row: ReplayRow) {
        var row = row
        row.sequence = UInt32(truncatingIfNeeded: rows.count)
        rows.append(row)
    }

    /// Applies `change` to the rows from `start` on (a file's rows, once its bar length is known).
    mutating func updateRows(from start: Int, _ change: (inout ReplayRow) -> Void) {
        for index in start..<rows.count { change(&rows[index]) }
    }

    /// Drops the rows from `start` on (a file that turned out unusable).
    mutating func dropRows(from start: Int) {
        rows.removeSubrange(start...)
    }

    /// The rows in timeline order (by replay time, then load order) and the rest, handed over.
    consuming func finish() -> (rows: [ReplayRow], symbols: [Symbol], tradeIDs: [String], problems: ReplayProblemLog) {
        var rows = self.rows
        self.rows = []
        rows.sort { ($0.replayTime, $0.sequence) < ($1.replayTime, $1.sequence) }
        return (rows, symbols, tradeIDs, problems)
    }
}

/// Why one row was skipped, e.g. `close "abc" is not a number`.
struct ReplayRowError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
