/// Names one configured data source (`sim`, `alpaca`, `yahoo`, ...).
///
/// The id is the key of the source's table in the configuration file; its
/// `label` is the short upper-case tag shown next to every value it produced.
public struct SourceID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    package init(_ rawValue: String) { self.rawValue = rawValue.lowercased() }
    public init(stringLiteral value: String) { self.init(value) }

    /// The default embedded simulated market.
    package static let simulated = SourceID("sim")

    public var label: String { rawValue.uppercased() }
    public var description: String { label }

    public static func < (lhs: SourceID, rhs: SourceID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
