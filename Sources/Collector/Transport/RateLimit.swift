/// A request budget: `requests` per `period`, e.g. 200 per minute.
///
/// Written in configuration as `"200/min"`, `"25/day"`, `"5/minute"` or `"1/s"`.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    package var requests: Int
    package var period: Duration
    /// Where the figure comes from.
    public var basis: Basis

    /// How much to trust a default limit (the tags `[V]`, `[O]`, `[U]` of `provider-formats.md`).
    public enum Basis: String, Sendable, Hashable {
        /// Set in the configuration by the user.
        case configured
        /// Published by the provider.
        case published
        /// Reported by users of the provider, not published.
        case observed
        /// Not published or reported; a cautious guess.
        case unverified
    }

    package init(requests: Int, per period: Duration, basis: Basis = .configured) {
        self.requests = requests
        self.period = period
        self.basis = basis
    }

    /// Parses `N/unit` with unit s, sec, second, m, min, minute, h, hour, d or day.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).trimmingBlanks().lowercased() }
        guard parts.count == 2, let count = Int(parts[0]), count > 0, count <= 1_000_000 else { return nil }
        let period: Duration
        switch parts[1] {
        case "s", "sec", "second": period = .seconds(1)
        case "m", "min", "minute": period = .seconds(60)
        case "h", "hour": period = .seconds(3600)
        case "d", "day": period = .seconds(86_400)
        default: return nil
        }
        self.init(requests: count, per: period)
    }

    /// Requests per second, on average over the period.
    package var ratePerSecond: Double { Double(requests) / period.secondsValue }

    public var description: String {
        let unit: String
        switch period {
        case .seconds(1): unit = "s"
        case .seconds(60): unit = "min"
        case .seconds(3600): unit = "hour"
        case .seconds(86_400): unit = "day"
        default: unit = period.ageText
        }
        return "\(requests)/\(unit)"
    }
}
