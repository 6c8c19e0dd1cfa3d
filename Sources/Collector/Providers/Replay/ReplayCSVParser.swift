/// Parses one CSV replay file into the tape: the header picks the layout (`ReplayCSVLayout`),
/// each row becomes one compact `ReplayRow`, and a row that cannot be parsed is skipped and
/// logged with its line and what is wrong.
struct ReplayCSVParser {
    let fileName: String

    /// Adds the file's rows to `builder`; throws when the file as a whole cannot be used.
    func parse(_ bytes: [UInt8], into builder: inout ReplayTapeBuilder) throws(ReplayFileError) {
        var reader = ReplayCSVReader(bytes)
        var fields: [ReplayCSVReader.Field] = []
        var problem: String?
        guard reader.next(into: &fields, problem: &problem) != nil else { throw ReplayFileError("it holds no header line") }
        let layout = try ReplayCSVLayout(header: fields.map { reader.text($0) })
        var fileSymbol: UInt32?
        if case .symbolBars = layout { fileSymbol = try symbol(fromFileName: &builder) }
        let firstRow = builder.rowCount
        while let line = reader.next(into: &fields, problem: &problem) {
            if let problem {
                builder.problems.add(file: fileName, line: line, problem)
                continue
            }
            let cells = ReplayCSVCells(reader: reader, fields: fields)
            do {
                switch layout {
                case .bars(let c): try bar(cells, c, into: &builder)
                case .quotes(let c): try quote(cells, c, into: &builder)
                case .trades(let c): try trade(cells, c, into: &builder)
                case .symbolBars(let c): try symbolBar(cells, c, symbol: fileSymbol ?? 0, into: &builder)
                }
            } catch {
                builder.problems.add(file: fileName, line: line, error.message)
            }
        }
        if case .symbolBars = layout, builder.rowCount > firstRow {
            let starts = builder.rows[firstRow...].map(\.time)
            do {
                let timeframe = try ReplayBarLength.infer(fromStarts: starts)
                builder.updateRows(from: firstRow) { $0.setTimeframe(timeframe) }
            } catch {
                builder.dropRows(from: firstRow)
                throw error
            }
        }
    }

    private func bar(_ cells: ReplayCSVCells, _ c: ReplayCSVLayout.BarColumns, into builder: inout ReplayTapeBuilder)
        throws(ReplayRowError)
    {
        let symbol = try builder.symbol(cells.required(c.symbol, "symbol"))
        let timeframeText = try cells.required(c.timeframe, "timeframe")
        guard let timeframe = Self.timeframe(timeframeText) else {
            throw ReplayRowError(
                "timeframe \(ReplayProblem.quoted(timeframeText)) is not one of "
                    + Timeframe.allCases.map(\.rawValue).joined(separator: ", "))
        }
        builder.append(
            .bar(
                symbol: symbol, timeframe: timeframe, start: try cells.time(c.start, "start", ReplayTime.parse),
                open: try cells.number(c.open, "open"), high: try cells.number(c.high, "high"),
                low: try cells.number(c.low, "low"), close: try cells.number(c.close, "close"),
                volume: try cells.number(c.volume, "volume"), vwap: try cells.optionalNumber(c.vwap, "vwap"),
                tradeCount: try cells.optionalCount(c.tradeCount, "trade_count")))
    }

    private func quote(_ cells: ReplayCSVCells, _ c: ReplayCSVLayout.QuoteColumns, into builder: inout ReplayTapeBuilder)
        throws(ReplayRowError)
    {
        let symbol = try builder.symbol(cells.required(c.symbol, "symbol"))
        let time = try cells.time(c.time, "time", ReplayTime.parse)
        builder.append(
            .quote(
                symbol: symbol, time: time, delay: try cells.delay(c.received, after: time),
                bid: try cells.number(c.bid, "bid"), bidSize: try cells.optionalNumber(c.bidSize, "bid_size"),
                ask: try cells.number(c.ask, "ask"), askSize: try cells.optionalNumber(c.askSize, "ask_size"),
                last: try cells.optionalNumber(c.last, "last")))
    }

    private func trade(_ cells: ReplayCSVCells, _ c: ReplayCSVLayout.TradeColumns, into builder: inout ReplayTapeBuilder)
        throws(ReplayRowError)
    {
        let symbol = try builder.symbol(cells.required(c.symbol, "symbol"))
        let time = try cells.time(c.time, "time", ReplayTime.parse)
        let delay = try cells.delay(c.received, after: time)
        let price = try cells.number(c.price, "price")
        let size = try cells.number(c.size, "size")
        let id = builder.tradeID(cells.text(c.id))
        builder.append(.trade(symbol: symbol, time: time, delay: delay, price: price, size: size, id: id))
    }

    private func symbolBar(
        _ cells: ReplayCSVCells, _ c: ReplayCSVLayout.SymbolBarColumns, symbol: UInt32,
        into builder: inout ReplayTapeBuilder
    ) throws(ReplayRowError) {
        let start = try cells.time(c.time, c.timeName, ReplayTime.parseExchangeLocal)
        let open = try cells.number(c.open, "open")
        let high = try cells.number(c.high, "high")
        let low = try cells.number(c.low, "low")
        let close = try cells.number(c.close, "close")
        var volume = 0.0
        if let column = c.volume { volume = try cells.number(column, "volume") }
        builder.append(
            .bar(
                symbol: symbol, timeframe: nil, start: start, open: open, high: high, low: low, close: close, volume: volume))
    }

    /// `Timeframe(parsing:)` for the usual spellings without building its alias table per row.
    private static func timeframe(_ text: String) -> Timeframe? {
        Timeframe(rawValue: text) ?? Timeframe(parsing: text)
    }

    /// The symbol a single-symbol file is named after: the name without its extension, without a
    /// trailing `.yahoo`, `.alphavantage`, `.av`, `.stooq` or Stooq's `.us` tag, and after the last `_`
    /// (Alpha Vantage downloads are named like `daily_IBM.csv` or `intraday_5min_IBM.csv`).
    func symbol(fromFileName builder: inout ReplayTapeBuilder) throws(ReplayFileError) -> UInt32 {
        var base = Substring(fileName)
        if let dot = base.lastIndex(of: ".") { base = base[..<dot] }
        for tag in [".yahoo", ".alphavantage", ".alpha_vantage", ".av", ".stooq", ".us"]
        where base.lowercased().hasSuffix(tag) {
            base = base.dropLast(tag.count)
            break
        }
        if let underscore = base.lastIndex(of: "_") { base = base[base.index(after: underscore)...] }
        do {
            return try builder.symbol(String(base))
        } catch {
            throw ReplayFileError(
                "a file without a symbol column is named after its symbol, like AAPL.csv or AAPL.yahoo.csv, but "
                    + "\(ReplayProblem.quoted(fileName)) names none (\(error.message))")
        }
    }
}

/// The cells of one CSV row, read by column index with messages naming the column.
struct ReplayCSVCells {
    let reader: ReplayCSVReader
    let fields: [ReplayCSVReader.Field]

    /// The cell's text; nil when the column is absent from the header or the row is too short.
    func text(_ column: Int?) -> String? {
        guard let column, column < fields.count else { return nil }
        return reader.text(fields[column])
    }

    func required(_ column: Int, _ name: String) throws(ReplayRowError) -> String {
        guard let text = text(column) else {
            throw ReplayRowError("\(name) is missing (the row has \(fields.count) fields)")
        }
        guard !text.isEmpty else { throw ReplayRowError("\(name) is empty") }
        return text
    }

    func number(_ column: Int, _ name: String) throws(ReplayRowError) -> Double {
        if column < fields.count, let value = reader.plainDecimal(fields[column]) { return value }
        let text = try required(column, name)
        if text.lowercased() == "null" { throw ReplayRowError("\(name) is null") }
        guard let value = Double(text), value.isFinite else {
            throw ReplayRowError("\(name) \(ReplayProblem.quoted(text)) is not a number")
        }
        return value
    }

    /// nil for an absent column or an empty or `null` cell.
    func optionalNumber(_ column: Int?, _ name: String) throws(ReplayRowError) -> Double? {
        guard let column, let text = text(column), !text.isEmpty, text.lowercased() != "null" else { return nil }
        return try number(column, name)
    }

    func optionalCount(_ column: Int?, _ name: String) throws(ReplayRowError) -> Int? {
        guard let column, let text = text(column), !text.isEmpty, text.lowercased() != "null" else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw ReplayRowError("\(name) \(ReplayProblem.quoted(text)) is not a whole number")
        }
        return value
    }

    func time(_ column: Int, _ name: String, _ parse: (String) -> Timestamp?) throws(ReplayRowError) -> Timestamp {
        let text = try required(column, name)
        guard let time = parse(text) else {
            throw ReplayRowError("\(name) \(ReplayProblem.quoted(text)) is not a time (\(ReplayTime.expected))")
        }
        return time
    }

    /// The recorded delay between `time` and the optional `received` cell (ns), -1 when unknown.
    func delay(_ column: Int?, after time: Timestamp) throws(ReplayRowError) -> Int64 {
        guard let column, let text = text(column), !text.isEmpty else { return -1 }
        return try ReplayTime.delay(from: time, to: self.time(column, "received", ReplayTime.parse))
    }
}
