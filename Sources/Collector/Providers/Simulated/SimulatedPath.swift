import Foundation

/// The deterministic price path of one symbol: a pure function of (seed, symbol, time).
///
/// Daily closes follow a log-price Ornstein-Uhlenbeck walk (GBM with a gentle
/// pull back to the instrument's base price, so levels stay plausible in any
/// year) anchored at 2020-01-01: the deviation is zero at the close before the
/// anchor and is iterated forwards (and backwards for earlier days) one daily
/// return at a time, which is cheap. Within a day a Brownian bridge over the
/// 1440 minutes joins the day's open to its close, so minute bars and daily
/// bars agree exactly.
struct SimulatedPath: Sendable {
    let instrument: SimulatedInstrument
    let random: SimulatedRandom
    let activity: SimulatedActivity

    /// 2020-01-01 as days since 1970.
    static let anchorDay: Int64 = 18_262
    /// Daily pull of the log price towards the base (half-life about 70 days).
    static let meanReversion = 0.01

    init(seed: UInt64, symbol: Symbol) {
        instrument = SimulatedInstrument(symbol: symbol)
        random = SimulatedRandom(seed: seed, name: symbol.rawValue)
        activity = SimulatedActivity.profile(for: symbol.assetClass)
    }

    /// Log deviations from the base price at the close of each day in `days`.
    func closeDeviations(_ days: ClosedRange<Int64>) -> [Double] {
        var result = [Double](repeating: 0, count: Int(days.upperBound - days.lowerBound + 1))
        let keep = 1 - Self.meanReversion
        let sigma = instrument.dailyVolatility
        if days.upperBound >= Self.anchorDay {
            var deviation = 0.0
            for day in Self.anchorDay...days.upperBound {
                deviation = keep * deviation + sigma * random.normal(.dailyStep, day)
                if day >= days.lowerBound { result[Int(day - days.lowerBound)] = deviation }
            }
        }
        if days.lowerBound < Self.anchorDay {
            var deviation = 0.0
            var day = Self.anchorDay - 1
            while day >= days.lowerBound {
                if day <= days.upperBound { result[Int(day - days.lowerBound)] = deviation }
                deviation = keep * deviation + sigma * random.normal(.dailyStepBefore, day)
                day -= 1
            }
        }
        return result
    }

    /// The minute path of day `index`, given its open and close deviations.
    func day(_ index: Int64, open: Double, close: Double) -> SimulatedDay {
        let minutes = SimulatedActivity.minutesPerDay
        let sigma = instrument.dailyVolatility
        let base = log(instrument.basePrice)
        let firstMinute = index * Int64(minutes)
        var walk = [Double](repeating: 0, count: minutes + 1)
        var wick = [Double](repeating: 0, count: minutes)
        for minute in 0..<minutes {
            let (step, extra) = random.normalPair(.minuteStep, firstMinute + Int64(minute))
            walk[minute + 1] = walk[minute] + sigma * activity.stepScale[minute] * step
            wick[minute] = abs(extra)
        }
        let end = walk[minutes]
        var logPrices = [Double](repeating: 0, count: minutes + 1)
        for point in 0..<minutes {
            let share = activity.cumulativeVariance[point]
            logPrices[point] = base + open + (close - open) * share + walk[point] - share * end
        }
        logPrices[minutes] = base + close
        let dayVolume = instrument.dailyVolume * exp(0.25 * random.normal(.dailyVolume, index) - 0.03125)
        var highs = [Double](repeating: 0, count: minutes)
        var lows = highs
        var volumes = highs
        for minute in 0..<minutes {
            let (low, amount) = random.uniformPair(.minuteShape, firstMinute + Int64(minute))
            let scale = sigma * activity.stepScale[minute]
            let first = logPrices[minute]
            let last = logPrices[minute + 1]
            highs[minute] = max(first, last) + 0.6 * scale * wick[minute]
            lows[minute] = min(first, last) - 0.8 * scale * low
            volumes[minute] = instrument.roundVolume(dayVolume * activity.volumeShare[minute] * (0.5 + amount))
        }
        return SimulatedDay(index: index, logPrices: logPrices, logHighs: highs, logLows: lows, volumes: volumes)
    }

    /// The minute path of day `index`, computing its open and close.
    func day(_ index: Int64) -> SimulatedDay {
        let deviations = closeDeviations((index - 1)...index)
        return day(index, open: deviations[0], close: deviations[1])
    }

    /// A price from a log price, rounded to the tick.
    func price(_ logPrice: Double) -> Double {
        instrument.round(exp(logPrice))
    }
}
