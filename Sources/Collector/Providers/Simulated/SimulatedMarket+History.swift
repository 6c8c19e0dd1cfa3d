extension SimulatedMarket {
    /// Completed bars of `timeframe` for any symbol whose start lies in
    /// `range`, oldest first. A bar is complete when its end is at or before
    /// both the range's end and the time the market was advanced to (if it was).
    /// 1Min and 1Day come straight from the path; shorter intraday timeframes
    /// aggregate 1Min bars, weeks and months aggregate 1Day bars.
    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) -> [Bar] {
        bars(
            for: symbol, timeframe: timeframe, from: range.lowerBound,
            through: min(range.upperBound, now ?? range.upperBound))
    }

    /// Completed bars starting at or after `start` and ending at or before `limit`.
    func bars(for symbol: Symbol, timeframe: Timeframe, from start: Timestamp, through limit: Timestamp) -> [Bar] {
        guard start < limit else { return [] }
        let path = path(for: symbol)
        switch timeframe {
        case .oneMinute: return minuteBars(path, from: start, through: limit)
        case .oneDay: return dailyBars(path, from: start, through: limit)
        case .oneWeek, .oneMonth:
            let first = timeframe.bucketStart(containing: start)
            return resample(dailyBars(path, from: first, through: limit), to: timeframe, from: start, through: limit)
        default:
            let first = timeframe.bucketStart(containing: start)
            return resample(minuteBars(path, from: first, through: limit), to: timeframe, from: start, through: limit)
        }
    }

    private func minuteBars(_ path: SimulatedPath, from start: Timestamp, through limit: Timestamp) -> [Bar] {
        let firstDay = SimulatedDay.index(containing: start)
        let lastDay = SimulatedDay.index(containing: limit - .nanoseconds(1))
        guard firstDay <= lastDay else { return [] }
        let deviations = path.closeDeviations((firstDay - 1)...lastDay)
        var result: [Bar] = []
        for index in firstDay...lastDay {
            let offset = Int(index - firstDay)
            let day = path.day(index, open: deviations[offset], close: deviations[offset + 1])
            for minute in 0..<SimulatedActivity.minutesPerDay {
                let barStart = day.minuteStart(minute)
                guard barStart >= start else { continue }
                guard barStart + .seconds(60) <= limit else { break }
                result.append(
                    Bar(
                        symbol: path.instrument.symbol, source: source, timeframe: .oneMinute, start: barStart,
                        open: path.price(day.logPrices[minute]), high: path.price(day.logHighs[minute]),
                        low: path.price(day.logLows[minute]), close: path.price(day.logPrices[minute + 1]),
                        volume: day.volumes[minute]))
            }
        }
        return result
    }

    /// Daily bars equal to the aggregate of their minute bars: rounding and
    /// `exp` are monotonic, so the extreme of the rounded minute prices is the
    /// rounded extreme of the log prices, and volume is summed in minute order.
    private func dailyBars(_ path: SimulatedPath, from start: Timestamp, through limit: Timestamp) -> [Bar] {
        let firstDay = SimulatedDay.index(containing: start - .nanoseconds(1)) + 1
        let lastDay = SimulatedDay.index(containing: limit) - 1
        guard firstDay <= lastDay else { return [] }
        let deviations = path.closeDeviations((firstDay - 1)...lastDay)
        var result: [Bar] = []
        result.reserveCapacity(Int(lastDay - firstDay + 1))
        for index in firstDay...lastDay {
            let offset = Int(index - firstDay)
            let day = path.day(index, open: deviations[offset], close: deviations[offset + 1])
            result.append(
                Bar(
                    symbol: path.instrument.symbol, source: source, timeframe: .oneDay, start: day.start,
                    open: path.price(day.logPrices[0]), high: path.price(day.logHighs.max() ?? 0),
                    low: path.price(day.logLows.min() ?? 0), close: path.price(day.logPrices[SimulatedActivity.minutesPerDay]),
                    volume: day.volume(before: SimulatedActivity.minutesPerDay)))
        }
        return result
    }

    private func resample(_ bars: [Bar], to timeframe: Timeframe, from start: Timestamp, through limit: Timestamp)
        -> [Bar]
    {
        guard let first = bars.first else { return [] }
        var aggregator = BarAggregator(symbol: first.symbol, source: source, timeframe: timeframe)
        var result: [Bar] = []
        for bar in bars {
            if let closed = aggregator.add(bar) { result.append(closed) }
        }
        if let last = aggregator.close(through: limit) { result.append(last) }
        return result.filter { $0.start >= start }
    }
}
