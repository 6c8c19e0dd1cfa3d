/// The CSV layouts ticktop replays, told apart by the header line. Column names match
/// case-insensitively and in any order; blanks and `-` in a name read as `_` (`Adj Close` is
/// `adj_close`); unknown columns are ignored.
enum ReplayCSVLayout: Equatable {
    /// ticktop's bars: `symbol,timeframe,start,open,high,low,close,volume[,vwap,trade_count]`.
    case bars(BarColumns)
    /// Quotes: `symbol,time,bid,bid_size,ask,ask_size[,last][,received]` (sizes may be left out: 0).
    case quotes(QuoteColumns)
    /// Trades: `symbol,time,price,size[,id][,received]`.
    case trades(TradeColumns)
    /// Bars of one symbol named by the file, e.g. `AAPL.csv`: Yahoo's export
    /// `Date,Open,High,Low,Close,Adj Close,Volume` (Adj Close is ignored), Stooq's
    /// `Date,Open,High,Low,Close,Volume`, Alpha Vantage's `timestamp,open,high,low,close,volume`.
    case symbolBars(SymbolBarColumns)

    struct BarColumns: Equatable {
        var symbol, timeframe, start, open, high, low, close, volume: Int
        var vwap, tradeCount: Int?
    }

    struct QuoteColumns: Equatable {
        var symbol, time, bid, ask: Int
        var bidSize, askSize, last, received: Int?
    }

    struct TradeColumns: Equatable {
        var symbol, time, price, size: Int
        var id, received: Int?
    }

    struct SymbolBarColumns: Equatable {
        var time, open, high, low, close: Int
        var volume: Int?
        /// The time column's name as the file spells it, for messages (`Date`, `timestamp`).
        var timeName: String
    }

    /// The layout named by `header` (the raw header cells), or an error naming the layouts ticktop knows.
    init(header: [String]) throws(ReplayFileError) {
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let key = Self.normalized(name)
            if columns[key] == nil { columns[key] = index }
        }
        func column(_ names: String...) -> Int? { names.lazy.compactMap { columns[$0] }.first }

        if let symbol = column("symbol", "ticker") {
            if let timeframe = column("timeframe"), let start = column("start", "time", "timestamp"),
                let open = column("open"), let high = column("high"), let low = column("low"),
                let close = column("close"), let volume = column("volume")
            {
                self = .bars(
                    BarColumns(
                        symbol: symbol, timeframe: timeframe, start: start, open: open, high: high, low: low,
                        close: close, volume: volume, vwap: column("vwap"), tradeCount: column("trade_count")))
                return
            }
            if let time = column("time", "timestamp"), let bid = column("bid"), let ask = column("ask") {
                self = .quotes(
                    QuoteColumns(
                        symbol: symbol, time: time, bid: bid, ask: ask, bidSize: column("bid_size"),
                        askSize: column("ask_size"), last: column("last"), received: column("received", "received_at")))
                return
            }
            if let time = column("time", "timestamp"), let price = column("price"), let size = column("size") {
                self = .trades(
                    TradeColumns(
                        symbol: symbol, time: time, price: price, size: size, id: column("id", "trade_id"),
                        received: column("received", "received_at")))
                return
            }
        } else if let time = column("date", "datetime", "timestamp", "time"), let open = column("open"),
            let high = column("high"), let low = column("low"), let close = column("close")
        {
            self = .symbolBars(
                SymbolBarColumns(
                    time: time, open: open, high: high, low: low, close: close, volume: column("volume"),
                    timeName: header[time].trimmingBlanks()))
            return
        }
        let shown = ReplayProblem.quoted(header.joined(separator: ","))
        throw ReplayFileError(
            "the header \(shown) is not a layout ticktop replays (expected symbol,timeframe,start,open,high,low,close,volume "
                + "or symbol,time,bid,bid_size,ask,ask_size or symbol,time,price,size, or Yahoo's Date,Open,High,Low,Close,"
                + "Adj Close,Volume or Alpha Vantage's timestamp,open,high,low,close,volume)")
    }

    /// A header name as it is matched: trimmed, lower case, blanks and `-` as `_`.
    static func normalized(_ name: String) -> String {
        String(name.trimmingBlanks().lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }
}

/// Why a whole file cannot be replayed (its header, its name, its bar spacing).
struct ReplayFileError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
