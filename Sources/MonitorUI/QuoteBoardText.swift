import Collector

/// The quote table as text lines, shared by `--once` and the live board.
package enum QuoteBoardText {
    package static let columns: [TextTable.Column] = [
        .init("SYMBOL"), .init("LAST", .right), .init("CHG", .right), .init("CHG%", .right), .init("BID", .right),
        .init("ASK", .right), .init("VOLUME", .right), .init("SRC"), .init("AGE", .right), .init("QUALITY")
    ]

    package static func rows(_ snapshot: MarketSnapshot) -> [QuoteRow] {
        snapshot.symbols.map { QuoteRow($0, at: snapshot.takenAt) }
    }

    package static func lines(_ snapshot: MarketSnapshot) -> [String] {
        var table = TextTable(columns: columns)
        for row in rows(snapshot) {
            table.append([
                row.symbol, row.last, row.change, row.changePercent, row.bid, row.ask, row.volume, row.source, row.age,
                row.qualityMark
            ])
        }
        return table.lines()
    }
}
