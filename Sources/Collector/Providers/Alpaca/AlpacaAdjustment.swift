/// How Alpaca adjusts historical stock bars for corporate actions (the `adjustment` parameter).
package enum AlpacaAdjustment: String, Sendable, Hashable, CaseIterable {
    /// As traded (Alpaca's default).
    case raw
    /// Prices and volumes adjusted for splits.
    case split
    /// Prices adjusted for dividends.
    case dividend
    /// Adjusted for splits and dividends.
    case all
}
