/// The health book's rule for parts (see `HealthBook`): turns what was reported for a whole source
/// (its state and detail) and its failing parts into what the source shows; pure, so the rule is
/// table-tested (`PartHealthRuleTests`).
package enum PartHealthRule {
    /// - No failing part: the reported state and detail.
    /// - Reported up (streaming, polling, degraded, starting): `degraded`, the failing parts named
    ///   first, so the rest of the source goes on serving and the board says which part is unhealthy.
    /// - Reported worse (down, paused, throttled, no key, ...): that state; the detail is the
    ///   reported one, or the parts' when none was given.
    package static func shown(reported state: HealthState, detail: String?, parts: [PartHealth])
        -> (state: HealthState, detail: String?)
    {
        guard !parts.isEmpty else { return (state, detail) }
        let named = parts.sorted { $0.name < $1.name }.map(\.clause).joined(separator: "; ")
        switch state {
        case .starting, .streaming, .polling, .degraded:
            return (.degraded, detail.map { "\(named); \($0)" } ?? named)
        case .down, .circuitOpen, .halfOpen, .formatChanged, .rateLimited, .noKey, .disabled, .notCollected:
            return (state, detail ?? named)
        }
    }

    /// The state a source is in when every part it polled failed: the worst part's.
    package static func worst(_ parts: [PartHealth]) -> HealthState? {
        parts.max { $0.severity < $1.severity }?.state
    }

    /// The unavailable part serving `symbol`, if any (its quotes are not used meanwhile).
    package static func unavailablePart(for symbol: Symbol, in parts: [PartHealth]) -> PartHealth? {
        parts.first { $0.state.isUnavailable && $0.symbols.contains(symbol) }
    }
}
