/// What kind of instrument a symbol names; decides sessions, spreads and how
/// providers spell it.
public enum AssetClass: String, Sendable, Hashable, Codable, CaseIterable {
    case equity
    case index
    case fx
    case crypto
}
