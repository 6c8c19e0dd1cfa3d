/// How far a symbol's shown value can be trusted, worst first when several apply.
public enum QualityFlag: String, Sendable, Hashable, Codable, CaseIterable {
    /// No value from any source yet.
    case noData = "no-data"
    /// Values from this symbol were quarantined recently.
    case quarantined
    /// The shown value is older than its threshold while its market is open.
    case stale
    /// Its market is closed (weekend, holiday, overnight; an index outside the
    /// regular session): the value is the last one, shown as closed, never stale.
    case closed
    /// Fresh, but the sources quoting it disagree beyond the tolerance.
    case disagree = "sources-disagree"
    /// Fresh, and nothing was quarantined recently.
    case clean
}
