/// What a rule reads from its `ValidationContext` besides the stream's previous time,
/// so the validator does the work only when some rule needs it.
public struct ContextNeeds: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The market session at the value's time.
    package static let session = ContextNeeds(rawValue: 1)
    /// The rolling window of accepted prices (and outliers awaiting a level shift).
    package static let prices = ContextNeeds(rawValue: 2)
    /// The symbol's day range.
    package static let dayRange = ContextNeeds(rawValue: 4)
}
