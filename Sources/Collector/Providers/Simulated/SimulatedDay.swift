/// One UTC day of a simulated symbol's path at minute resolution, in log prices.
///
/// Minute bar `m` opens at `logPrices[m]` and closes at `logPrices[m + 1]`;
/// point 0 is the day's open (the previous day's close), point 1440 its close.
/// Immutable, and a class: a live feed hands its day to every tick, and a reference costs one
/// retain where a struct of four arrays cost four.
final class SimulatedDay: Sendable {
    /// Days since 1970-01-01 (UTC).
    let index: Int64
    /// 1441 log prices at the minute boundaries.
    let logPrices: [Double]
    /// Per-minute log high and low (1440 each), bracketing the open and close.
    let logHighs: [Double]
    let logLows: [Double]
    /// Per-minute volume (1440), already rounded to the class's unit.
    let volumes: [Double]

    init(index: Int64, logPrices: [Double], logHighs: [Double], logLows: [Double], volumes: [Double]) {
        self.index = index
        self.logPrices = logPrices
        self.logHighs = logHighs
        self.logLows = logLows
        self.volumes = volumes
    }

    static let nanosecondsPerDay: Int64 = 86_400_000_000_000
    static let nanosecondsPerMinute: Int64 = 60_000_000_000

    /// The day index containing `time`.
    static func index(containing time: Timestamp) -> Int64 {
        time.startOfUTCDay.nanoseconds / nanosecondsPerDay
    }

    var start: Timestamp { Timestamp(nanoseconds: index * Self.nanosecondsPerDay) }

    /// The start of minute `minute` of this day.
    func minuteStart(_ minute: Int) -> Timestamp {
        Timestamp(nanoseconds: index * Self.nanosecondsPerDay + Int64(minute) * Self.nanosecondsPerMinute)
    }

    /// Total volume of minutes `0..<end`, summed in order.
    func volume(before end: Int) -> Double {
        var total = 0.0
        for minute in 0..<end { total += volumes[minute] }
        return total
    }
}
