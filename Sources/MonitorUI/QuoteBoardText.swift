import Collector

/// The quote table as text lines, shared by `--once` and the live board.
public enum QuoteBoardText {
    public static let columns: [TextTable.Column] = [
        .init("SYMBOL"), .init("LAST", .right), .init("CHG", .right), .init("CHG%", .right), .init("BID", .right),
        .init("ASK", .right), .init("VOLUME", .right), .init("SRC"), .init("AGE", .right), .init("QUALITY")
    ]

    public static func rows(_ snapshot: MarketSnapshot) -> [QuoteRow] {
        snapshot.symbols.map { QuoteRow($0, at: snapshot.takenAt) }
    }

    public static func lines(_ snapshot: MarketSnapshot) -> [String] {
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
