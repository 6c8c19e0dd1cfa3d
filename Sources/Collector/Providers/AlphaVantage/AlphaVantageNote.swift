/// What one of Alpha Vantage's HTTP-200 notes means (`provider-formats.md` §3.4).
///
/// The official wrapper checks `Error Message`, then `Information`, then `Note`;
/// the texts are matched loosely because they change. The quota texts also invite
/// the reader to "premium plans", so entitlement is recognised only by "premium
/// feature" / "premium endpoint", before the quota texts are looked at.
enum AlphaVantageNote: Equatable {
    /// The key was refused ("the parameter apikey is invalid or missing").
    case invalidKey(String)
    /// Any other `Error Message`: a bad function or parameter, or an unknown symbol.
    case invalidCall(String)
    /// The parameter or endpoint is premium-only for this key.
    case premium(String)
    /// The burst limit ("1 request per second").
    case burst(String)
    /// The old per-minute limit ("5 calls per minute and 500 calls per day").
    case perMinute(String)
    /// The daily quota ("25 requests per day").
    case daily(String)
    /// Any other `Information` / `Note`: treated as a throttle of the default length.
    case other(String)

    init?(_ notes: AlphaVantageNotes) {
        if let text = notes.errorMessage, !text.isEmpty {
            self = Self.mentionsInvalidKey(text) ? .invalidKey(text) : .invalidCall(text)
            return
        }
        guard let text = [notes.information, notes.note].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            return nil
        }
        let lower = text.lowercased()
        if Self.mentionsInvalidKey(text) {
            self = .invalidKey(text)
        } else if lower.contains("premium feature") || lower.contains("premium endpoint") {
            self = .premium(text)
        } else if lower.contains("per second") {
            self = .burst(text)
        } else if lower.contains("per minute") {
            self = .perMinute(text)
        } else if lower.contains("per day") || lower.contains("daily") {
            self = .daily(text)
        } else if lower.contains("premium") {
            self = .premium(text)
        } else {
            self = .other(text)
        }
    }

    var text: String {
        switch self {
        case .invalidKey(let t), .invalidCall(let t), .premium(let t), .burst(let t), .perMinute(let t),
            .daily(let t), .other(let t):
            t
        }
    }

    /// How long to hold every request for a throttle note; nil when the note is not a throttle.
    /// `.other` returns `.zero`, meaning "the client's default pause".
    func pause(now: Timestamp, burst: Duration) -> Duration? {
        switch self {
        case .burst: burst
        case .perMinute: .seconds(60)
        // Alpha Vantage resets the daily quota once a day; wait for the next UTC midnight.
        case .daily: now.startOfUTCDay + .seconds(86_400) - now
        case .other: .zero
        case .invalidKey, .invalidCall, .premium: nil
        }
    }

    private static func mentionsInvalidKey(_ text: String) -> Bool {
        let lower = text.lowercased()
        let namesKey = lower.contains("apikey") || lower.contains("api key")
        return namesKey && (lower.contains("invalid") || lower.contains("missing"))
    }
}
