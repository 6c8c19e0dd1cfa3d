/// How far a symbol's shown value can be trusted, worst first when several apply.
public enum QualityFlag: String, Sendable, Hashable, Codable, CaseIterable {
    /// No value from any source yet.
    case noData = "no-data"
    /// Values from this symbol were quarantined recently.
    case quarantined
    /// The shown value is older than its threshold while its market is open.
    case stale
    /// Not stale, but the sources quoting it disagree beyond the tolerance.
    case disagree = "sources-disagree"
    /// Nothing wrong, but its market is closed (weekend, holiday, overnight; an
    /// index outside the regular session): shown as closed, never as stale.
    case closed
    /// Fresh, and nothing was quarantined recently.
    case clean
}
