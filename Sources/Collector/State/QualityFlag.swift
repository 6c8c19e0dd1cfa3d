/// How far a symbol's shown value can be trusted, worst first when several apply.
public enum QualityFlag: String, Sendable, Hashable, Codable, CaseIterable {
    /// No value from any source yet.
    case noData = "no-data"
    /// Values from this symbol were quarantined recently.
    case quarantined
    /// The shown value is older than the stale threshold.
    case stale
    /// Fresh, but the sources quoting it disagree beyond the tolerance.
    case disagree = "sources-disagree"
    /// Fresh, and nothing was quarantined recently.
    case clean
}
