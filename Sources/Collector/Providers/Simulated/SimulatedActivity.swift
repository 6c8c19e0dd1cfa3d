import Foundation

/// The intraday shape of trading activity over the 1440 UTC minutes of a day.
///
/// Equities and indices follow a U over the US regular session, fixed at
/// 14:30–21:00 UTC (daylight saving is ignored), and are thin outside it; FX
/// has a broad hump over the London/New York overlap; crypto is nearly flat.
/// The simulated market still trades 24/7 for every class, on purpose, so a
/// demo always moves. Price variance follows the same shape, so equities
/// move most when they trade most.
struct SimulatedActivity: Sendable {
    static let minutesPerDay = 1440
    static let sessionOpenMinute = 14 * 60 + 30
    static let sessionCloseMinute = 21 * 60

    /// Share of the day's volume traded in each minute (sums to 1).
    let volumeShare: [Double]
    /// Standard deviation of each minute's log step, as a fraction of the daily one.
    let stepScale: [Double]
    /// Cumulative variance share before each minute boundary (1441 points, 0...1).
    let cumulativeVariance: [Double]

    static let equity = SimulatedActivity(shape: usSession)
    static let fx = SimulatedActivity { minute in
        let hour = Double(minute) / 60
        return 0.5 + 0.8 * exp(-pow((hour - 13.5) / 4, 2))
    }
    static let crypto = SimulatedActivity { minute in
        let hour = Double(minute) / 60
        return 0.8 + 0.4 * exp(-pow((hour - 15) / 5, 2))
    }

    static func profile(for assetClass: AssetClass) -> SimulatedActivity {
        switch assetClass {
        case .equity, .index: equity
        case .fx: fx
        case .crypto: crypto
        }
    }

    /// The relative activity of a minute: 1 is the daily average.
    func relativeActivity(minute: Int) -> Double {
        volumeShare[minute] * Double(Self.minutesPerDay)
    }

    private static func usSession(_ minute: Int) -> Double {
        guard minute >= sessionOpenMinute, minute < sessionCloseMinute else { return 0.04 }
        let position = (Double(minute - sessionOpenMinute) + 0.5) / Double(sessionCloseMinute - sessionOpenMinute)
        return 1 + 3 * pow(2 * position - 1, 2)
    }

    private init(shape: (Int) -> Double) {
        let raw = (0..<Self.minutesPerDay).map(shape)
        let total = raw.reduce(0, +)
        volumeShare = raw.map { $0 / total }
        let floor = 0.2 * total / Double(Self.minutesPerDay)
        let variance = raw.map { $0 + floor }
        let varianceTotal = variance.reduce(0, +)
        stepScale = variance.map { ($0 / varianceTotal).squareRoot() }
        var cumulative = [0.0]
        var running = 0.0
        for value in variance {
            running += value / varianceTotal
            cumulative.append(running)
        }
        cumulative[Self.minutesPerDay] = 1
        cumulativeVariance = cumulative
    }
}
