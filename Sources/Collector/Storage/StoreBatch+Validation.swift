extension StoreBatch {
    /// Why the batch cannot be stored as it is, or nil when it can.
    ///
    /// Every store rejects a NaN in a bar or quote column (SQLite would turn it
    /// into NULL), so both implementations fail the same batches. Anomalies may
    /// hold anything: their subject is stored as JSON.
    var unstorableReason: String? {
        for bar in bars {
            if bar.open.isNaN || bar.high.isNaN || bar.low.isNaN || bar.close.isNaN
                || bar.volume.isNaN || bar.vwap?.isNaN == true
            {
                return
                    "the \(bar.timeframe.rawValue) bar of \(bar.symbol) from \(bar.source.rawValue) at \(bar.start) has a NaN value"
            }
        }
        for quote in quotes {
            if quote.bid?.isNaN == true || quote.bidSize?.isNaN == true || quote.ask?.isNaN == true
                || quote.askSize?.isNaN == true
                || quote.last?.isNaN == true || quote.previousClose?.isNaN == true
                || quote.dayVolume?.isNaN == true
            {
                return "the quote of \(quote.symbol) from \(quote.source.rawValue) at \(quote.exchangeTime) has a NaN value"
            }
        }
        return nil
    }
}
