/// A full day the exchange is closed: a rule holiday (possibly on its observed
/// date) or a special closure such as a national day of mourning.
public struct MarketHoliday: Sendable, Hashable, CustomStringConvertible {
    package var date: CivilDate
    /// `Thanksgiving`, `Independence Day`, `National Day of Mourning for Jimmy Carter`.
    public var name: String
    /// True when the holiday falls on a weekend and is kept on the nearest weekday instead.
    package var observed: Bool

    package init(date: CivilDate, name: String, observed: Bool = false) {
        self.date = date
        self.name = name
        self.observed = observed
    }

    /// `Independence Day (observed)`, or just the name.
    public var description: String { observed ? "\(name) (observed)" : name }
}
