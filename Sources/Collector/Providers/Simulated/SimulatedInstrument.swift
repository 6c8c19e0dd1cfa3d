import Foundation

/// The fixed character of one simulated symbol: price level, volatility,
/// spread, tick and lot sizes, typical daily volume.
///
/// Well-known symbols come from a small table; any other symbol gets values
/// derived from the FNV-1a hash of its name (seed-independent) within a range
/// plausible for its asset class.
struct SimulatedInstrument: Sendable {
    let symbol: Symbol
    /// The price the path reverts to (and starts from at the anchor day).
    let basePrice: Double
    /// Standard deviation of the daily log return.
    let dailyVolatility: Double
    /// Quoted bid/ask spread in basis points of the mid.
    let spreadBasisPoints: Double
    /// Price ticks per unit of currency: 100 for a 0.01 tick.
    let ticksPerUnit: Double
    /// Size unit for quotes and trades (100-share round lots for equities).
    let lotSize: Double
    /// Typical volume per day, in shares, units or coins.
    let dailyVolume: Double

    private struct Known { let price: Double, volatility: Double, volume: Double }

    private static let table: [String: Known] = [
        "AAPL": Known(price: 190, volatility: 0.017, volume: 55e6),
        "MSFT": Known(price: 420, volatility: 0.015, volume: 20e6),
        "NVDA": Known(price: 120, volatility: 0.030, volume: 300e6),
        "BRK.B": Known(price: 450, volatility: 0.011, volume: 4e6),
        "GOOGL": Known(price: 170, volatility: 0.018, volume: 25e6),
        "AMZN": Known(price: 185, volatility: 0.020, volume: 40e6),
        "META": Known(price: 500, volatility: 0.022, volume: 15e6),
        "TSLA": Known(price: 200, volatility: 0.035, volume: 90e6),
        "SPY": Known(price: 500, volatility: 0.010, volume: 60e6),
        "QQQ": Known(price: 440, volatility: 0.012, volume: 40e6),
        "^GSPC": Known(price: 5000, volatility: 0.010, volume: 3e9),
        "^DJI": Known(price: 39000, volatility: 0.009, volume: 3e8),
        "^IXIC": Known(price: 16000, volatility: 0.013, volume: 5e9),
        "^FTSE": Known(price: 8000, volatility: 0.009, volume: 8e8),
        "EURUSD=X": Known(price: 1.08, volatility: 0.004, volume: 2e9),
        "GBPUSD=X": Known(price: 1.27, volatility: 0.005, volume: 1e9),
        "USDJPY=X": Known(price: 150, volatility: 0.005, volume: 1e9),
        "BTC-USD": Known(price: 60000, volatility: 0.030, volume: 30000),
        "ETH-USD": Known(price: 3000, volatility: 0.040, volume: 400_000),
        "SOL-USD": Known(price: 150, volatility: 0.050, volume: 3e6),
        "DOGE-USD": Known(price: 0.15, volatility: 0.055, volume: 1e9)
    ]

    init(symbol: Symbol) {
        self.symbol = symbol
        let assetClass = symbol.assetClass
        let random = SimulatedRandom(seed: 0, name: symbol.rawValue)
        let (u1, u2) = random.uniformPair(.instrument, 0)
        if let known = Self.table[symbol.rawValue] {
            basePrice = known.price
            dailyVolatility = known.volatility
            dailyVolume = known.volume
        } else {
            let range = Self.priceRange(assetClass)
            basePrice = exp(log(range.lowerBound) + u1 * (log(range.upperBound) - log(range.lowerBound)))
            dailyVolatility = Self.classVolatility(assetClass) * (0.7 + 0.6 * u2)
            let turnover = exp(log(1e8) + u2 * log(10.0))  // 1e8...1e9 per day in quote currency
            dailyVolume = assetClass == .equity || assetClass == .crypto ? turnover / basePrice : 1e9
        }
        switch assetClass {
        case .equity: (spreadBasisPoints, ticksPerUnit, lotSize) = (2, 100, 100)
        case .index: (spreadBasisPoints, ticksPerUnit, lotSize) = (1, 100, 1)
        case .fx: (spreadBasisPoints, ticksPerUnit, lotSize) = (1, basePrice < 20 ? 10_000 : 1_000, 100_000)
        case .crypto:
            spreadBasisPoints = 4
            ticksPerUnit = basePrice >= 100 ? 100 : basePrice >= 1 ? 10_000 : 1_000_000
            lotSize = min(1000, pow(10, (log10(100 / basePrice)).rounded(.down)))
        }
    }

    /// Plausible price ranges for symbols outside the table.
    static func priceRange(_ assetClass: AssetClass) -> ClosedRange<Double> {
        switch assetClass {
        case .equity: 10...500
        case .index: 1000...20000
        case .fx: 0.5...2
        case .crypto: 0.1...50000
        }
    }

    /// Typical daily volatility by class: crypto highest, FX lowest.
    static func classVolatility(_ assetClass: AssetClass) -> Double {
        switch assetClass {
        case .equity: 0.02
        case .index: 0.011
        case .fx: 0.005
        case .crypto: 0.04
        }
    }

    /// The smallest price step.
    var tickSize: Double { 1 / ticksPerUnit }

    /// `price` rounded to the nearest tick, never below one tick.
    func round(_ price: Double) -> Double {
        max(1, (price * ticksPerUnit).rounded()) / ticksPerUnit
    }

    /// `price` rounded down (bids) or up (asks) to a tick, never below one tick.
    func round(_ price: Double, _ rule: FloatingPointRoundingRule) -> Double {
        max(1, (price * ticksPerUnit).rounded(rule)) / ticksPerUnit
    }

    /// `lots` lots as a size, without binary-fraction noise (7 lots of 0.1 is 0.7).
    func size(lots: Double) -> Double {
        lotSize < 1 ? lots / (1 / lotSize).rounded() : lots * lotSize
    }

    /// A volume rounded to the unit the class counts in (fractions only for crypto).
    func roundVolume(_ volume: Double) -> Double {
        symbol.assetClass == .crypto ? (volume * 10_000).rounded() / 10_000 : volume.rounded()
    }
}
