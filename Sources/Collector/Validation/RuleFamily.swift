/// How a rule's finding combines with the others' on the same value, so one
/// fault is reported once, by the rule that explains it best.
public enum RuleFamily: Sendable, Hashable {
    /// Reported alongside any other finding.
    case independent
    /// Time order within a stream: only the first of these (in rule order) that fires is reported,
    /// so a conflicting repeat of a bar is a `bar-conflict`, not also `time-repeated`.
    case sequence
    /// Judges the price against the stream's recent accepted prices. Runs only on values no other
    /// rule faulted (their prices are no evidence), and only the first that fires is reported, so a
    /// 100x close is a `unit-error`, not also a `price-spike`. `shiftsLevel`: a run of such outliers
    /// at one new level is taken as a real move (see `StreamHistory.recordOutlier`).
    case statistical(shiftsLevel: Bool)

    var isStatistical: Bool {
        if case .statistical = self { return true }
        return false
    }
}
