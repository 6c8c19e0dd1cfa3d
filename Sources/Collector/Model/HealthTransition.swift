/// A source moving from one health state to another, with why: logged,
/// counted, and stored so a later look at the database shows what happened.
public struct HealthTransition: Sendable, Hashable, Codable {
    package var source: SourceID
    package var from: HealthState
    package var to: HealthState
    /// The reason for the new state, in plain words, without secrets.
    package var detail: String?
    package var at: Timestamp

    package init(source: SourceID, from: HealthState, to: HealthState, detail: String?, at: Timestamp) {
        self.source = source
        self.from = from
        self.to = to
        self.detail = detail
        self.at = at
    }
}
